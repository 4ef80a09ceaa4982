// The writer and the readers on a database the process cannot write.
#include <doctest/doctest.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip::storage;
using krasip::test::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr unsigned kNobody = 65534;

// Root ignores file modes, so as root `body` runs in a child process under
// uid/gid 65534, which is given `dir` first. Returns what `body` returned:
// the failures it found, empty if none. (doctest's checks would stay in the
// child, hence strings.)
std::string as_unprivileged(const fs::path& dir, const std::function<std::string()>& body) {
  if (::geteuid() != 0) return body();
  if (::chown(dir.c_str(), kNobody, kNobody) != 0) return "cannot chown the test folder";
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::close(fds[0]);
    std::string result;
    if (::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
        ::setresuid(kNobody, kNobody, kNobody) != 0) {
      result = "cannot drop root";
    } else {
      try {
        result = body();
      } catch (const std::exception& e) {
        result = std::string("exception: ") + e.what();
      }
    }
    for (std::size_t off = 0; off < result.size();) {
      const auto n = ::write(fds[1], result.data() + off, result.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "the child process died";
  return out;
}

// `chmod a-w` (or `u+w`) on the folder and every file in it.
void set_writable(const fs::path& dir, bool writable) {
  const auto bits = writable
                        ? fs::perms::owner_write
                        : fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
  const auto how = writable ? fs::perm_options::add : fs::perm_options::remove;
  fs::permissions(dir, bits, how);
  for (const auto& e : fs::directory_iterator(dir)) fs::permissions(e.path(), bits, how);
}

void insert_key(Database& db, int n) {
  Blob key(32, 0xCD);
  key[0] = static_cast<std::uint8_t>(n);
  auto st = db.prepare(
      "INSERT INTO reader_keys (kind, public_key, created_at) VALUES ('reporter', ?, ?)");
  st.bind(1, key).bind(2, static_cast<std::int64_t>(n));
  st.run();
}

std::int64_t count_keys(Database& db) {
  auto st = db.prepare("SELECT count(*) FROM reader_keys");
  st.step();
  return st.get_int(0);
}

struct Failures {
  std::string text;
  void check(bool ok, const std::string& what) {
    if (!ok) text += "failed: " + what + "\n";
  }
};

}  // namespace

TEST_CASE("write queue: a read-only database refuses writes, keeps reads, recovers by itself") {
  TempDir dir("readonly");
  const auto path = dir.path() / "krasip.db";
  const auto failures = as_unprivileged(dir.path(), [&] {
    Failures f;
    {
      WriteQueue healthy(path);
      healthy.run([](Database& db) { insert_key(db, 1); });
    }  // the only connection: closing it checkpoints and removes the WAL
    f.check(!fs::exists(path.string() + "-wal"), "no WAL left after a clean close");
    set_writable(dir.path(), false);

    // Without a -shm, and no folder to make one in, SQLite reads a WAL
    // database only as an immutable snapshot.
    bool refused = false;
    try {
      (void)open_reader(path, false);
    } catch (const StorageUnavailable&) {
      refused = true;
    }
    f.check(refused, "a normal reader cannot read it");
    f.check(open_reader(path, true).snapshot, "a snapshot reader can");

    ReaderPool pool(path);
    std::mutex mutex;
    std::vector<bool> told;
    WriteQueue queue(
        path, 512, 0,
        [&](bool writable, const std::string&) {
          pool.set_writable(writable);
          std::lock_guard lock(mutex);
          told.push_back(writable);
        },
        std::chrono::milliseconds(50));
    f.check(!queue.writable(), "starts unwritable");
    bool unavailable = false;
    try {
      queue.run([](Database& db) { insert_key(db, 2); });
    } catch (const StorageUnavailable&) {
      unavailable = true;
    }
    f.check(unavailable, "a write fails with StorageUnavailable");
    f.check(count_keys(*pool.acquire()) == 1, "reads still work, and see the first key");

    set_writable(dir.path(), true);  // no restart
    bool stored = false;
    for (int i = 0; i < 40 && !stored; ++i) {
      try {
        queue.run([](Database& db) { insert_key(db, 2); });
        stored = true;
      } catch (const StorageUnavailable&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    }
    f.check(stored, "a write succeeds once the files are writable");
    f.check(queue.writable(), "writable again");
    f.check(count_keys(*pool.acquire()) == 2, "readers see the new key");
    std::lock_guard lock(mutex);
    f.check(told == std::vector<bool>{false, true}, "told once unwritable, once writable");
    return f.text;
  });
  CHECK_MESSAGE(failures.empty(), failures);
}

TEST_CASE("write queue: a read-only database that needs migrating does not start") {
  TempDir dir("readonly-old");
  const auto path = dir.path() / "krasip.db";
  const auto failures = as_unprivileged(dir.path(), [&] {
    Failures f;
    { WriteQueue healthy(path); }
    {
      Database db(path, OpenMode::read_write);
      db.exec(
          "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM "
          "schema_migrations)");
    }
    set_writable(dir.path(), false);
    std::string error;
    try {
      WriteQueue queue(path);
    } catch (const StorageError& e) {
      error = e.what();
    }
    set_writable(dir.path(), true);
    f.check(error.find("needs migrating") != std::string::npos, "refused, saying why: " + error);
    return f.text;
  });
  CHECK_MESSAGE(failures.empty(), failures);
}
