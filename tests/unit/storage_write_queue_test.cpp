// The single writer with group commit, and the pool of read-only connections.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip::storage;
using krasip::test::TempDir;

namespace {

// reader_keys is the simplest table without foreign keys: use it as a
// scratch table, one distinct 32-byte key per job.
void insert_key(Database& db, int n) {
  Blob key(32, 0);
  key[0] = static_cast<std::uint8_t>(n & 0xff);
  key[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
  key[2] = 0xAB;
  auto st = db.prepare("INSERT INTO reader_keys (kind, public_key, created_at) VALUES ('reporter', ?, ?)");
  st.bind(1, key).bind(2, static_cast<std::int64_t>(n));
  st.run();
}

bool key_visible(Database& db, int n) {
  auto st = db.prepare("SELECT count(*) FROM reader_keys WHERE created_at = ?");
  st.bind(1, static_cast<std::int64_t>(n));
  st.step();
  return st.get_int(0) == 1;
}

std::int64_t count_keys(Database& db) {
  auto st = db.prepare("SELECT count(*) FROM reader_keys");
  st.step();
  return st.get_int(0);
}

}  // namespace

TEST_CASE("write queue: jobs from 4 threads all commit, done runs after they are visible") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  WriteQueue queue(path);
  Database observer(path, OpenMode::read_only);  // a separate connection
  std::mutex observer_mutex;

  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::atomic<int> not_visible_at_done{0};
  std::vector<std::promise<void>> finished(kThreads * kPerThread);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i + 1;
        queue.submit([n](Database& db) { insert_key(db, n); },
                     [&, n](std::exception_ptr e) {
                       if (e) {
                         ++failed;
                       } else {
                         ++ok;
                         std::lock_guard lock(observer_mutex);
                         if (!key_visible(observer, n)) ++not_visible_at_done;
                       }
                       finished[static_cast<std::size_t>(n - 1)].set_value();
                     });
      }
    });
  }
  for (auto& th : threads) th.join();
  for (auto& p : finished) p.get_future().wait();

  CHECK(ok == kThreads * kPerThread);
  CHECK(failed == 0);
  CHECK(not_visible_at_done == 0);
  Database check(path, OpenMode::read_only);
  CHECK(count_keys(check) == kThreads * kPerThread);
}

TEST_CASE("write queue: one failing job does not undo the others in its batch") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  WriteQueue queue(path);

  // Hold the writer thread in a job so that the next three land in one batch.
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> blocker_started;
  queue.submit(
      [&](Database&) {
        blocker_started.set_value();
        gate.wait();
      },
      [](std::exception_ptr) {});
  blocker_started.get_future().wait();

  std::promise<std::exception_ptr> r1, r2, r3;
  queue.submit([](Database& db) { insert_key(db, 1); },
               [&](std::exception_ptr e) { r1.set_value(std::move(e)); });
  queue.submit(
      [](Database& db) {
        insert_key(db, 2);  // written, then undone by its savepoint
        throw std::runtime_error("job fails after writing");
      },
      [&](std::exception_ptr e) { r2.set_value(std::move(e)); });
  queue.submit([](Database& db) { insert_key(db, 3); },
               [&](std::exception_ptr e) { r3.set_value(std::move(e)); });
  release.set_value();

  CHECK(r1.get_future().get() == nullptr);
  const auto e2 = r2.get_future().get();
  REQUIRE(e2 != nullptr);
  CHECK_THROWS_WITH_AS(std::rethrow_exception(e2), "job fails after writing", std::runtime_error);
  CHECK(r3.get_future().get() == nullptr);

  Database check(path, OpenMode::read_only);
  CHECK(key_visible(check, 1));
  CHECK_FALSE(key_visible(check, 2));
  CHECK(key_visible(check, 3));
  CHECK(count_keys(check) == 2);
}

TEST_CASE("write queue: a job refused by a constraint reports it and others still commit") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  WriteQueue queue(path);
  queue.run([](Database& db) { insert_key(db, 7); });
  // Same public key again: UNIQUE refuses it.
  CHECK_THROWS_AS(queue.run([](Database& db) { insert_key(db, 7); }), ConstraintViolation);
  queue.run([](Database& db) { insert_key(db, 8); });
  Database check(path, OpenMode::read_only);
  CHECK(count_keys(check) == 2);
}

TEST_CASE("write queue: after stop, a submit reports an error through done") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  WriteQueue queue(path);
  queue.run([](Database& db) { insert_key(db, 1); });
  queue.stop();

  bool job_ran = false;
  std::exception_ptr error;
  bool done_called = false;
  queue.submit([&](Database&) { job_ran = true; },
               [&](std::exception_ptr e) {
                 done_called = true;
                 error = e;
               });
  CHECK(done_called);
  CHECK_FALSE(job_ran);
  REQUIRE(error != nullptr);
  CHECK_THROWS_AS(std::rethrow_exception(error), StorageUnavailable);
  CHECK_THROWS_AS(queue.run([](Database& db) { insert_key(db, 2); }), StorageUnavailable);

  Database check(path, OpenMode::read_only);
  CHECK(count_keys(check) == 1);
}

TEST_CASE("write queue: jobs queued before stop are finished") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  std::atomic<int> done_ok{0};
  {
    WriteQueue queue(path);
    for (int n = 1; n <= 20; ++n) {
      queue.submit([n](Database& db) { insert_key(db, n); },
                   [&](std::exception_ptr e) {
                     if (!e) ++done_ok;
                   });
    }
    queue.stop();
  }
  CHECK(done_ok == 20);
  Database check(path, OpenMode::read_only);
  CHECK(count_keys(check) == 20);
}

TEST_CASE("reader pool: a returned connection is reused") {
  TempDir dir("writeq");
  const auto path = dir.path() / "krasip.db";
  { Database w = open_writer(path); }
  ReaderPool pool(path);
  Database* first = nullptr;
  {
    auto lease = pool.acquire();
    first = &*lease;
    CHECK(count_keys(*lease) == 0);
  }
  {
    auto lease = pool.acquire();
    CHECK(&*lease == first);
    // While it is leased, a second acquire opens another connection.
    auto other = pool.acquire();
    CHECK(&*other != first);
  }
  // Both are back: two acquires reuse both, no third connection needed.
  auto a = pool.acquire();
  auto b = pool.acquire();
  CHECK(&*a != &*b);
  CHECK((&*a == first || &*b == first));
  // Pool connections are read-only.
  CHECK_THROWS_AS(insert_key(*a, 1), StorageError);
}
