#include "krasip/server/security_headers.hpp"

namespace krasip::server {

void apply_security_headers(http::response_header<>& res, ResponseKind kind, const ServerConfig& config,
                            const std::optional<std::optional<std::vector<std::string>>>& frame_origins,
                            const InlineHashes& inline_hashes) {
  std::string ancestors = "'none'";
  if (kind == ResponseKind::embeddable_page) {
    if (!frame_origins) {
      ancestors = "'self'";
      for (const auto& origin : config.frame_ancestors) ancestors += " " + origin;
    } else if (*frame_origins) {
      ancestors = "'self'";
      for (const auto& origin : **frame_origins) ancestors += " " + origin;
    }  // else an unknown agency: 'none'
  } else {
    res.set("X-Frame-Options", "DENY");  // for browsers without frame-ancestors
  }
  // A handler may have set a stricter policy (downloads: sandbox); keep it.
  std::string scripts = "'self'";
  for (const auto& h : inline_hashes.scripts) scripts += " " + h;
  std::string styles = "'self'";
  for (const auto& h : inline_hashes.styles) styles += " " + h;
  if (res.find("Content-Security-Policy") == res.end()) res.set("Content-Security-Policy",
          "default-src 'self'; script-src " + scripts + "; style-src " + styles + "; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
          "form-action 'self'; frame-ancestors " + ancestors);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Cross-Origin-Resource-Policy",
          kind == ResponseKind::embeddable_script ? "cross-origin" : "same-origin");
  if (config.behind_tls) {
    res.set(http::field::strict_transport_security, "max-age=31536000; includeSubDomains");
  }
  switch (kind) {
    case ResponseKind::api:
      // A public, unchanging answer (an agency's logo) may say it can be kept.
      if (res.find(http::field::cache_control) == res.end()) res.set(http::field::cache_control, "no-store");
      break;
    case ResponseKind::page:
    case ResponseKind::embeddable_page:
      // Not "no-cache": the status page and the receipt may show a tracking
      // code or a complaint, and on a shared phone Back must not bring them
      // back from the cache (the pages also clear themselves on pagehide,
      // for browsers that keep no-store pages in the back/forward cache).
      res.set(http::field::cache_control, "no-store");
      break;
    case ResponseKind::asset:
    case ResponseKind::embeddable_script:
      // Content-hashed files (/assets/) say they never change; keep that.
      if (res.find(http::field::cache_control) == res.end()) {
        res.set(http::field::cache_control, "public, max-age=3600");
      }
      break;
  }
}

}  // namespace krasip::server
