#pragma once
#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <string>

namespace krasip::server {

// The ITA evidence pack (issue 13, item 2) is one model, a JSON object made
// by routes_evidence_pack.cpp, printed two ways from it so that the two
// cannot say different things:
//   title_th/en, agency_th/en, period_th/en, generated_th/en,
//   address {report_url, measures_url, stats_url},
//   picture null | {mime, data (base64), page_url, uploaded_th},
//   measures [{heading_th, heading_en, points [{th, en}]}],
//   tables [{title_th, title_en, note_th, note_en, rows [{th, en, value}]}],
//   audit {intact, entries, head_id, hash, at_th, at_en}.

// A whole HTML document with its own print styles; every string escaped.
std::string evidence_pack_html(const boost::json::object& pack);

// The same through krasip-pack-pdf (pango and cairo, the shipped Sarabun
// font), run as its own process so that krasipd links no font or image
// parser. Throws HttpError 500 pdf_not_made when it fails, is killed (its
// seccomp filter) or overruns `timeout`, and std::runtime_error when it
// cannot be started.
std::string evidence_pack_pdf(const std::filesystem::path& renderer, const std::filesystem::path& fonts_dir,
                              const boost::json::object& pack, std::chrono::milliseconds timeout);

}  // namespace krasip::server
