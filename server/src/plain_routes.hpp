#pragma once
// What the plain (no-JavaScript) reporter routes share (issue 22).
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "form_body.hpp"
#include "plain_page.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

// The page's language (?lang=en) and agency (?agency=SLUG, as the scripted
// pages take it). An unknown agency leaves `known_agency` false and the
// deployment's first agency's name in the frame; the action refuses it.
PlainContext plain_context(AppServices& app, const Request& req);
PlainContext plain_context(AppServices& app, std::string_view target);

// A refusal already rendered as the page to show (the route's error_page
// sends it as it is): e.g. the status page with the error by the file field.
struct PreparedPage : std::exception {
  explicit PreparedPage(Response r) : response(std::move(r)) {}
  const char* what() const noexcept override { return "a prepared page"; }
  Response response;
};

// The upload of an evidence file from a plain form (multipart: form_token,
// tracking_code, file, in that order), by the same reader as
// POST /api/v1/status/attachments (routes_followup.cpp).
struct PlainUploadHooks {
  // Throws (PreparedPage) unless the form's token is fresh.
  std::function<void(std::string_view token)> check_token;
  // The page for a refusal once the code is known (type not allowed...).
  std::function<Response(std::exception_ptr, const std::string& code)> refusal;
  // The answer once the file is stored or refused by its last step.
  std::function<void(const Reply&, std::exception_ptr, const cases::AttachmentEntry&, std::string code)> done;
};
std::shared_ptr<BodyReader> plain_upload_reader(AppServices& app, const Request& header, PlainUploadHooks hooks);

// A hidden input.
std::string hidden(std::string_view name, std::string_view value);

// A fresh one-time token for the next form of a page (form_tokens.hpp).
std::string form_token_input(AppServices& app);

// Uses the form's token up; throws nothing. False when it was used,
// expired, forged or the store is full.
enum class TokenCheck { ok, used, stale, full };
TokenCheck use_form_token(AppServices& app, std::string_view token);

// Under a proof of work (issue 22) a page without JavaScript has a time
// lock instead: true when its form (token) was given out less than
// `params.proof_wait()` seconds ago. The token is then used up, so the
// early post cannot be replayed, and the page is shown again with a fresh
// form and wait_notice().
bool too_soon(AppServices& app, const RouteParams& params, std::string_view token);
std::string wait_notice(const PlainContext& c, int seconds);

// The status page of a case, with the forms to write, upload and download
// (routes_plain_status.cpp); `notice_html` goes at its top.
std::string plain_status_main(AppServices& app, const PlainContext& c, std::string_view code,
                              std::string_view notice_html, std::string_view message_text = {},
                              std::string_view message_error = {}, std::string_view file_error = {});

// The evidence upload form (receipt and status page).
std::string plain_upload_form(AppServices& app, const PlainContext& c, std::string_view code,
                              std::string_view error = {});

void add_plain_report_routes(Router& router, AppServices& app);
void add_plain_status_routes(Router& router, AppServices& app);

}  // namespace krasip::server
