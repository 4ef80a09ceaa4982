#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace krasip::test {

// A file that moves a krasipd's clock on (`serve|purge --clock-offset-file`):
// what happens days later, tested without sleeping. The service's logins and
// step-ups follow the moved clock, so an account bound to it (Account::clock)
// computes its codes for it: each new code moves the clock 30 s on (one TOTP
// step), so a test may take several step-ups in a row without waiting.
struct TestClock {
  static constexpr std::int64_t kDay = 86400;
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("krasip-clock-" + std::to_string(::getpid()) + "-" +
                                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  TestClock() { write(); }
  TestClock(const TestClock&) = delete;
  TestClock& operator=(const TestClock&) = delete;
  ~TestClock() { std::filesystem::remove(file); }
  // Days on from the real clock (plus the steps taken so far).
  void set_days(std::int64_t days) {
    days_ = days;
    write();
  }
  // The next TOTP step: the service's clock and the code's time together.
  std::int64_t next_step() {
    steps_ += 1;
    write();
    return offset();
  }
  // Moves the service's clock so that it reads `unix_seconds` now (and
  // runs on from there): a test that needs a given time of day (a batch
  // time, issue 21) sets it; set_days and next_step still add to it.
  void set_at(std::int64_t unix_seconds) {
    const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
    extra_ = unix_seconds - real - days_ * kDay - steps_ * 30;
    write();
  }
  // 00:00 Bangkok (UTC+7) of the first Wednesday at least a day after the
  // real clock's: a working day with two days after it, for tests of the
  // batch times (08:30 and 13:30 by default).
  static std::int64_t next_wednesday() {
    const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
    auto day = (real + 7 * 3600) / kDay + 1;
    while ((day + 3) % 7 != 2) ++day;  // 1970-01-01 was a Thursday; 0 = Monday
    return day * kDay - 7 * 3600;
  }
  std::int64_t offset() const { return days_ * kDay + steps_ * 30 + extra_; }
  std::string arg() const { return " --clock-offset-file " + file.string(); }

 private:
  void write() const {
    const auto tmp = file.string() + ".tmp";
    std::ofstream(tmp) << offset() << "\n";
    std::filesystem::rename(tmp, file);
  }
  std::int64_t days_ = 0;
  std::int64_t steps_ = 0;
  std::int64_t extra_ = 0;
};

}  // namespace krasip::test
