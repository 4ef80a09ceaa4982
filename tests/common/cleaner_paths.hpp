#pragma once
// The helper binaries built with the tests: the real krasip-cleaner and the
// test-only build with its crash/hang/open inputs (krasip-cleaner-test).
#include "krasip/cleaner/client.hpp"

namespace krasip::test {

inline cleaner::HelperConfig helper_config(bool test_build = false) {
  cleaner::HelperConfig c;
  c.path = test_build ? KRASIP_CLEANER_TEST_PATH : KRASIP_CLEANER_PATH;
  return c;
}

}  // namespace krasip::test
