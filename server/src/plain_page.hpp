#pragma once
// The reporter's pages without JavaScript (issue 22): server-rendered HTML,
// Thai first with English, under the same CSP as every page (no script at
// all, no inline style). What they share: escaping, the two languages, the
// page frame, the error texts, dates in the Buddhist Era.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/http_types.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::server {

// A text in both languages.
struct Text {
  std::string_view th;
  std::string_view en;
};

// What every plain page is rendered with.
struct PlainContext {
  bool english = false;
  storage::AgencyRow agency;
  bool known_agency = false;
  // The stylesheets the built pages use (web-build's /assets/ bundle).
  const std::vector<std::string>* stylesheets = nullptr;
  std::string onion_address;

  std::string_view t(Text text) const { return english ? text.en : text.th; }
  std::string lang() const { return english ? "en" : "th"; }
  // "?agency=SLUG&lang=en": what every link and form action of these pages
  // carries (never a tracking code).
  std::string query(bool with_lang = true) const;
};

std::string html_escape(std::string_view s);

// "30 พฤศจิกายน 2569" or "30 November 2026" (Bangkok date).
std::string plain_date(const PlainContext& c, std::int64_t unix_seconds);

// The whole page: header with the agency, a language link (for GET pages:
// `switch_href`, empty for a page answering a POST), main, footer.
std::string plain_document(const PlainContext& c, std::string_view title, std::string_view main_html,
                           std::string_view switch_href = {});

// A page as a response: no-store, text/html (the session adds the CSP and
// the other headers of a page).
Response plain_response(http::status status, std::string html);

// The message for an error of the case logic or the HTTP layer, in the
// page's language (the texts the scripts show for the same codes).
Text error_text(std::exception_ptr error);
Text error_text(const cases::CaseError& e);
// The form field an error is about ("subject-name" for "subject.name"), or
// empty.
std::string field_id(std::string_view json_path);

// A generic error page (rate limited, too large, expired) with a way on.
Response plain_error_page(const PlainContext& c, std::exception_ptr error);

// The notice block for a message to the reporter (role=status or alert).
std::string notice(std::string_view kind, std::string_view html, bool alert = false);

}  // namespace krasip::server
