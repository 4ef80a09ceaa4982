#include "krasip/mail/smtp_client.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <cctype>
#include <regex>

namespace krasip::mail {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  const std::string* text;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t left = up->text->size() - up->offset;
  const std::size_t take = std::min(left, size * n);
  std::memcpy(buffer, up->text->data() + up->offset, take);
  up->offset += take;
  return take;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* abort = static_cast<const std::atomic<bool>*>(user);
  return abort != nullptr && abort->load() ? 1 : 0;
}

// What the operator can act on, without the server's reply text (it may
// echo an address) and never the password.
std::string reason(CURLcode code, long reply) {
  std::string why;
  switch (code) {
    case CURLE_LOGIN_DENIED: why = "SMTP login refused (check user and password)"; break;
    case CURLE_COULDNT_CONNECT: why = "SMTP server unreachable (connection refused)"; break;
    case CURLE_COULDNT_RESOLVE_HOST: why = "SMTP host name not found"; break;
    case CURLE_OPERATION_TIMEDOUT: why = "SMTP server did not answer in time"; break;
    case CURLE_USE_SSL_FAILED: why = "SMTP server offers no STARTTLS, which is required"; break;
    case CURLE_PEER_FAILED_VERIFICATION: why = "SMTP server certificate not trusted"; break;
    case CURLE_ABORTED_BY_CALLBACK: why = "stopped: the service is shutting down"; break;
    default: why = std::string("SMTP failure: ") + curl_easy_strerror(code); break;
  }
  if (reply > 0) why += " (reply " + std::to_string(reply) + ")";
  return why;
}

}  // namespace

bool valid_smtp_url(const std::string& url) {
  static const std::regex re(R"(^smtps?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$)");
  return std::regex_match(url, re);
}

namespace {
struct UrlParts {
  std::string scheme;
  std::string host;
  std::string port;
};
UrlParts parts_of(const std::string& url) {
  UrlParts p;
  const auto colon = url.find("://");
  p.scheme = url.substr(0, colon);
  std::string rest = url.substr(colon + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto port = rest.find(':');
  p.host = rest.substr(0, port);
  p.port = port == std::string::npos ? (p.scheme == "smtps" ? "465" : "25") : rest.substr(port + 1);
  for (auto& c : p.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return p;
}
}  // namespace

std::string smtp_server(const std::string& url) {
  if (!valid_smtp_url(url)) return {};
  const auto p = parts_of(url);
  return p.scheme + "://" + p.host + ":" + std::to_string(std::stoi(p.port));
}

bool smtp_on_loopback(const std::string& url) {
  if (!valid_smtp_url(url)) return false;
  const auto host = parts_of(url).host;
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

void send_mail(const SmtpConfig& config, const std::string& to, const std::string& message,
               const std::atomic<bool>* abort) {
  global_init();
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) throw MailError("cannot start an SMTP client");
  CURL* c = curl.get();
  const std::string from = "<" + config.from + ">";
  std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  Upload up{&message};
  // The password as a C string, in locked memory; libcurl keeps its own copy
  // only until the handle is cleaned up, at the end of this function.
  crypto::SecureBytes password(config.password.size() + 1);
  if (!config.password.empty()) std::memcpy(password.data(), config.password.data(), config.password.size());
  password.data()[config.password.size()] = 0;

  curl_easy_setopt(c, CURLOPT_URL, config.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(config.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, reinterpret_cast<const char*>(password.data()));
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(config.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(config.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // a background thread: no SIGALRM
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, abort);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    throw MailError(reason(code, reply));
  }
}

}  // namespace krasip::mail
