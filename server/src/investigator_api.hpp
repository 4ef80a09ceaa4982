#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

inline constexpr const char* kSessionCookie = "krasip_session";

// The session named by the request's cookie. For state-changing methods the
// X-CSRF-Token header must match the session's token. Throws CaseError
// (unauthenticated / csrf_failed).
std::shared_ptr<const cases::Session> authenticate(const Request& req, AppServices& app);
std::string session_token(const Request& req);
std::string session_cookie(const std::string& token, bool secure, bool clear = false);

// Runs `work` on the worker pool and replies with its answer (or the
// mapped error). The request is copied: the session may go on meanwhile.
void offload(AppServices& app, Reply reply, std::function<Response()> work);
// The same for an answer whose body streams (Reply::stream).
void offload_streamed(AppServices& app, Reply reply, std::function<StreamedResponse()> work);

boost::json::object user_json(const cases::Session& s);
// Categories as the intake form and the case detail show them: id and both labels.
boost::json::array categories_json(const std::vector<cases::Label>& categories);

}  // namespace krasip::server
