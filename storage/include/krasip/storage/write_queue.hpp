#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace krasip::storage {

class Database;
class WriterConnection;

// The single writer. Jobs from any thread are queued; one thread takes as
// many as are waiting (up to `max_batch`), runs each in its own SAVEPOINT
// inside one transaction, and commits once: group commit, so many durable
// (synchronous=FULL) writes share one fsync. Each job's `done` runs on the
// writer thread only after COMMIT returned, or with the error that stopped it.
class WriteQueue {
 public:
  using Job = std::function<void(Database&)>;
  using Done = std::function<void(std::exception_ptr)>;
  // Told, on the writer thread, when the database stops taking writes (with
  // SQLite's reason) and when it takes them again (before the first write).
  using StateListener = std::function<void(bool writable, const std::string& reason)>;

  // `max_db_bytes` (0: no cap) bounds the database file: beyond it writes
  // fail with StorageUnavailable, as on a full disk, and nothing is lost.
  // If the file or its folder cannot be written (read-only, I/O errors), jobs
  // fail with StorageUnavailable without running, and the writer opens a new
  // connection at most once per `reopen_interval` until one can write: the
  // service recovers without a restart once the operator fixes the files.
  // Such a database is accepted at start only if it needs no migration.
  WriteQueue(const std::filesystem::path& db_path, std::size_t max_batch = 512,
             std::uint64_t max_db_bytes = 0, StateListener on_state = {},
             std::chrono::milliseconds reopen_interval = std::chrono::seconds(1));
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  ~WriteQueue();

  void submit(Job job, Done done);
  // Blocking convenience for the command line and tests.
  void run(Job job);
  // Finishes the queued jobs, then stops the thread. Later submits fail.
  void stop();
  // False while the database cannot be written.
  bool writable() const;
  // Told, on the writer thread, after each committed batch: how many jobs
  // were waiting when it was taken (the batch and those behind it) and how
  // long the transaction took. For the operator's metrics.
  using CommitObserver = std::function<void(std::size_t queue_depth, std::chrono::steady_clock::duration took)>;
  void set_commit_observer(CommitObserver observer);

 private:
  struct Entry {
    Job job;
    Done done;
  };
  void loop(std::promise<void>& opened);

  std::size_t max_batch_;
  std::unique_ptr<WriterConnection> conn_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  bool stopping_ = false;
  CommitObserver observer_;  // guarded by mutex_
  std::thread thread_;
};

// Opens the database for writing in WAL mode with synchronous=FULL and
// applies pending migrations. Used by the writer and by `krasipd init`.
// Throws StorageUnavailable (SQLITE_READONLY) if SQLite could open the file
// only read-only.
Database open_writer(const std::filesystem::path& db_path);

}  // namespace krasip::storage
