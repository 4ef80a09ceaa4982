#include <doctest/doctest.h>

#include "krasip/server/static_files.hpp"

using krasip::server::parse_inline_hashes;

namespace {
const std::string kA = "'sha256-EG/gB7XJftM8e4OsDznuJ4csuqsTrGkKoL6z2RlxX6w='";
const std::string kB = "'sha256-mpZaUhB5Gj3VrN645BYfVoIC7yDhR+i38PYh2RYbLHs='";
}  // namespace

TEST_CASE("a page's PAGE.csp gives its inline scripts and styles by hash") {
  const auto h = parse_inline_hashes("script-src " + kA + " " + kB + "\nstyle-src " + kB + "\n");
  CHECK(h.scripts == std::vector<std::string>{kA, kB});
  CHECK(h.styles == std::vector<std::string>{kB});
}

TEST_CASE("a PAGE.csp can never widen a page's policy beyond hashes") {
  // What a mistaken or tampered file might say: none of it is taken.
  const auto h = parse_inline_hashes(
      "script-src 'unsafe-inline' 'unsafe-eval' 'self' https://cdn.example 'nonce-abc' " + kA +
      "x 'sha256-short=' 'sha384-" + std::string(64, 'A') + "'\n"
      "default-src *\nconnect-src " + kA + "\nstyle-src 'unsafe-inline' " + kB + ";\n"
      " script-src " + kB + "\n");
  CHECK(h.scripts.empty());
  CHECK(h.styles.empty());  // "kB;" is not a source either
  CHECK(parse_inline_hashes("").scripts.empty());
  CHECK(parse_inline_hashes("script-src 'sha256-" + std::string(43, '*') + "='").scripts.empty());
}
