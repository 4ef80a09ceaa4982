#pragma once
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace krasip::storage {

class Database;

// The single writer. Jobs from any thread are queued; one thread takes as
// many as are waiting (up to `max_batch`), runs each in its own SAVEPOINT
// inside one transaction, and commits once: group commit, so many durable
// (synchronous=FULL) writes share one fsync. Each job's `done` runs on the
// writer thread only after COMMIT returned, or with the error that stopped it.
class WriteQueue {
 public:
  using Job = std::function<void(Database&)>;
  using Done = std::function<void(std::exception_ptr)>;

  // `max_db_bytes` (0: no cap) bounds the database file: beyond it writes
  // fail with StorageUnavailable, as on a full disk, and nothing is lost.
  WriteQueue(const std::filesystem::path& db_path, std::size_t max_batch = 512,
             std::uint64_t max_db_bytes = 0);
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  ~WriteQueue();

  void submit(Job job, Done done);
  // Blocking convenience for the command line and tests.
  void run(Job job);
  // Finishes the queued jobs, then stops the thread. Later submits fail.
  void stop();

 private:
  struct Entry {
    Job job;
    Done done;
  };
  void loop(std::promise<void>& opened);

  std::filesystem::path path_;
  std::size_t max_batch_;
  std::uint64_t max_db_bytes_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// Opens the database for writing in WAL mode with synchronous=FULL and
// applies pending migrations. Used by the writer and by `krasipd init`.
Database open_writer(const std::filesystem::path& db_path);

}  // namespace krasip::storage
