#include "investigator_api.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <optional>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/server/error_mapping.hpp"

namespace krasip::server {

std::string session_token(const Request& req) {
  const std::string_view cookies = req[http::field::cookie];
  const std::string prefix = std::string(kSessionCookie) + "=";
  std::size_t i = 0;
  while (i < cookies.size()) {
    while (i < cookies.size() && (cookies[i] == ' ' || cookies[i] == ';')) ++i;
    const auto end = cookies.find(';', i);
    const std::string_view pair = cookies.substr(i, end == std::string_view::npos ? cookies.npos : end - i);
    if (pair.starts_with(prefix)) return std::string(pair.substr(prefix.size()));
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return {};
}

std::shared_ptr<const cases::Session> authenticate(const Request& req, AppServices& app) {
  // Also checks the account is still enabled (`krasipd user disable` runs in
  // another process): one indexed read per request.
  auto session = app.login.resume(session_token(req));
  if (!session) throw cases::CaseError(cases::ErrorCode::unauthenticated, "please log in");
  const auto m = req.method();
  if (m != http::verb::get && m != http::verb::head) {
    if (!app.sessions.check_csrf(*session, std::string(req["X-CSRF-Token"]))) {
      throw cases::CaseError(cases::ErrorCode::csrf_failed, "missing or wrong X-CSRF-Token header");
    }
  }
  return session;
}

std::string session_cookie(const std::string& token, bool secure, bool clear) {
  std::string c = std::string(kSessionCookie) + "=" + (clear ? std::string() : token) +
                  "; Path=/api/; HttpOnly; SameSite=Strict";
  c += clear ? "; Max-Age=0" : "; Max-Age=36000";
  if (secure) c += "; Secure";
  return c;
}

void offload(AppServices& app, Reply reply, std::function<Response()> work) {
  boost::asio::post(app.workers, [reply = std::move(reply), work = std::move(work)] {
    try {
      reply(work());
    } catch (...) {
      reply(response_for(std::current_exception()));
    }
  });
}

void offload_streamed(AppServices& app, Reply reply, std::function<StreamedResponse()> work) {
  boost::asio::post(app.workers, [reply = std::move(reply), work = std::move(work)] {
    std::optional<StreamedResponse> res;
    try {
      res = work();
    } catch (...) {
      return reply(response_for(std::current_exception()));
    }
    reply.stream(std::move(*res));
  });
}

boost::json::object user_json(const cases::Session& s) {
  return {{"username", s.username},
          {"display_name", s.display_name},
          {"custodian", s.is_custodian},
          {"admin", s.is_admin}};
}

boost::json::array categories_json(const std::vector<cases::Label>& categories) {
  boost::json::array out;
  for (const auto& c : categories) out.push_back({{"id", c.id}, {"label_th", c.th}, {"label_en", c.en}});
  return out;
}

}  // namespace krasip::server
