// Issue 22: the proof of work's rules, with the clock in the test's hands.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "krasip/cases/common/proof_of_work.hpp"

using krasip::cases::ProofOfWork;
using P = ProofOfWork::Purpose;
using V = ProofOfWork::Verdict;

namespace {
std::string solve(const ProofOfWork::Challenge& c) {
  for (unsigned long n = 0;; ++n) {
    std::string proof = c.token + ":" + std::to_string(n);
    if (ProofOfWork::leading_zero_bits(proof) >= c.bits) return proof;
  }
}

ProofOfWork::Config small() {
  ProofOfWork::Config c;
  c.base_bits = 8;
  c.max_bits = 14;
  return c;
}
}  // namespace

TEST_CASE("a proof is asked of unknown addresses, and of everyone once attempts pass the floor") {
  ProofOfWork pow(small());
  const std::int64_t t = 1'000'000'020;
  CHECK(pow.required(P::submit, false, t));
  CHECK_FALSE(pow.required(P::submit, true, t));
  for (int i = 0; i < 30; ++i) pow.attempt(P::submit, t);
  CHECK_FALSE(pow.required(P::submit, true, t));  // 30 a minute: the floor
  pow.attempt(P::submit, t);
  CHECK(pow.required(P::submit, true, t));
  CHECK_FALSE(pow.required(P::status, true, t));  // each kind has its own meter
  // A minute of calm later, no more.
  CHECK_FALSE(pow.required(P::submit, true, t + 120));
  ProofOfWork off(ProofOfWork::Config{.base_bits = 0});
  CHECK_FALSE(off.required(P::submit, false, t));
}

TEST_CASE("a good proof is admitted once; forged, wrong, other-purpose, expired and reused ones are told apart") {
  ProofOfWork pow(small());
  const std::int64_t t = 1'000'000'020;
  const auto c = pow.issue(P::submit, t);
  CHECK(c.bits == 8);
  CHECK(c.expires == t + 600);
  const auto proof = solve(c);
  CHECK(pow.verify(P::status, proof, t) == V::wrong_purpose);
  CHECK(pow.verify(P::submit, proof, t + 601) == V::expired);
  CHECK(pow.verify(P::submit, proof, t) == V::ok);
  CHECK(pow.verify(P::submit, proof, t) == V::reused);
  CHECK(pow.verify(P::submit, "", t) == V::missing);
  CHECK(pow.verify(P::submit, "nonsense", t) == V::malformed);
  CHECK(pow.verify(P::submit, c.token + ":12a", t) == V::malformed);
  // The same shape from another server (another key): forged.
  ProofOfWork other(small());
  CHECK(pow.verify(P::submit, solve(other.issue(P::submit, t)), t) == V::forged);
  // A nonce that does not reach the bits.
  const auto c2 = pow.issue(P::submit, t);
  std::string wrong;
  for (unsigned long n = 0;; ++n) {
    wrong = c2.token + ":" + std::to_string(n);
    if (ProofOfWork::leading_zero_bits(wrong) < c2.bits) break;
  }
  CHECK(pow.verify(P::submit, wrong, t) == V::wrong);
}

TEST_CASE("the difficulty rises with admitted requests beyond the floor, one bit per doubling, up to the cap") {
  ProofOfWork pow(small());
  const std::int64_t t = 1'000'000'020;
  CHECK(pow.difficulty(P::submit, t) == 8);
  // Refused attempts do not raise it: a flooder that does not solve
  // costs honest reporters nothing more.
  for (int i = 0; i < 1000; ++i) pow.attempt(P::submit, t);
  CHECK(pow.difficulty(P::submit, t) == 8);
  int admitted = 0;
  while (admitted < 31) {
    CHECK(pow.verify(P::submit, solve(pow.issue(P::submit, t)), t) == V::ok);
    ++admitted;
  }
  CHECK(pow.difficulty(P::submit, t) == 9);  // just past 30 a minute
  while (admitted < 61) {
    REQUIRE(pow.verify(P::submit, solve(pow.issue(P::submit, t)), t) == V::ok);
    ++admitted;
  }
  CHECK(pow.difficulty(P::submit, t) == 10);  // past twice the floor
  // A challenge of the old price is still taken one step behind; two behind is too easy.
  ProofOfWork::Config cfg = small();
  cfg.max_bits = 9;
  ProofOfWork capped(cfg);
  for (int i = 0; i < 200; ++i) REQUIRE(capped.verify(P::submit, solve(capped.issue(P::submit, t)), t) == V::ok);
  CHECK(capped.difficulty(P::submit, t) == 9);  // the cap
  CHECK(pow.verify(P::submit, solve(ProofOfWork::Challenge{pow.issue(P::status, t).token, 8, 0}), t) == V::wrong_purpose);
}

TEST_CASE("verifying a proof costs microseconds") {
  ProofOfWork pow(small());
  const std::int64_t t = 1'000'000'020;
  const auto proof = solve(pow.issue(P::status, t));
  REQUIRE(pow.verify(P::status, proof, t) == V::ok);
  constexpr int kRounds = 20000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) REQUIRE(pow.verify(P::status, proof, t) == V::reused);  // all the work, then the look-up
  const auto per = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kRounds;
  MESSAGE("verify: " << per << " µs per proof");
  CHECK(per < 200.0);  // a generous bound on a loaded 2-core machine; typically a few µs
}
