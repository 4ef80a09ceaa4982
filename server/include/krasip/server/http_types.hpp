#pragma once
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

namespace krasip::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Sends the answer to a request. Safe to call from any thread, exactly once.
using Reply = std::function<void(Response)>;

}  // namespace krasip::server
