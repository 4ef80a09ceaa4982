#include "krasip/storage/write_queue.hpp"

#include <sqlite3.h>

#include <vector>

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/transaction.hpp"
#include "writer_connection.hpp"

namespace krasip::storage {

Database open_writer(const std::filesystem::path& db_path) {
  Database db(db_path, OpenMode::read_write_create);
  // SQLite falls back to read-only when the file or filesystem is; say so
  // now rather than at the first write.
  if (db.read_only()) {
    throw StorageUnavailable(SQLITE_READONLY, "open: read-only file or filesystem");
  }
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit is on disk (WAL fsync'd) before COMMIT returns, so a
  // tracking code is shown only for a case that survives a power cut.
  db.exec("PRAGMA synchronous = FULL");
  migrate(db, krasip_migrations());
  // Take the write lock once: a file that is writable can still be stuck
  // read-only through a read-only -shm that this process already mapped.
  db.exec("BEGIN IMMEDIATE");
  db.exec("COMMIT");
  return db;
}

WriteQueue::WriteQueue(const std::filesystem::path& db_path, std::size_t max_batch,
                       std::uint64_t max_db_bytes, StateListener on_state,
                       std::chrono::milliseconds reopen_interval)
    : max_batch_(max_batch),
      conn_(std::make_unique<WriterConnection>(db_path, max_db_bytes, reopen_interval,
                                               std::move(on_state))) {
  std::promise<void> opened;
  auto ready = opened.get_future();
  thread_ = std::thread([this, &opened] { loop(opened); });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

WriteQueue::~WriteQueue() { stop(); }

bool WriteQueue::writable() const { return conn_->writable(); }

void WriteQueue::submit(Job job, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(std::make_exception_ptr(StorageUnavailable(0, "write queue stopped")));
}

void WriteQueue::run(Job job) {
  std::promise<void> result;
  auto fut = result.get_future();
  submit(std::move(job), [&result](std::exception_ptr e) {
    if (e) {
      result.set_exception(std::move(e));
    } else {
      result.set_value();
    }
  });
  fut.get();
}

void WriteQueue::set_commit_observer(CommitObserver observer) {
  const std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WriteQueue::loop(std::promise<void>& opened) {
  try {
    conn_->open_at_start();
    opened.set_value();
  } catch (...) {
    opened.set_exception(std::current_exception());
    return;
  }
  std::vector<Entry> batch;
  std::vector<std::exception_ptr> errors;
  for (;;) {
    CommitObserver observer;
    std::size_t depth = 0;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and drained
      depth = queue_.size();
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      observer = observer_;
    }
    const auto started = std::chrono::steady_clock::now();
    Database* db = conn_->get();
    if (db == nullptr) {
      const auto refused = conn_->unavailable();
      for (auto& entry : batch) entry.done(refused);
      batch.clear();
      continue;
    }
    errors.assign(batch.size(), nullptr);
    std::exception_ptr batch_error;
    try {
      Transaction tx(*db);
      for (std::size_t i = 0; i < batch.size() && !batch_error; ++i) {
        Savepoint sp(*db);
        try {
          batch[i].job(*db);
          sp.release();
        } catch (...) {
          errors[i] = std::current_exception();
        }
        // A full disk can make SQLite roll back the whole transaction, not
        // just this job: then no job of the batch is stored, and all are told.
        if (errors[i] && !db->in_transaction()) batch_error = errors[i];
      }
      if (!batch_error) tx.commit();
    } catch (...) {
      batch_error = std::current_exception();
    }
    if (batch_error) errors.push_back(batch_error);
    if (observer && !batch_error) observer(depth, std::chrono::steady_clock::now() - started);
    conn_->after_batch(errors);  // may close the connection: the transaction has ended
    // Hand each error over without keeping a reference here: the caller is
    // then the last owner and frees it on its own thread, after it has read
    // the message (the reference count lives in uninstrumented libstdc++, so
    // ThreadSanitizer cannot see an ordering through it).
    std::vector<std::exception_ptr> outcome(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      outcome[i] = batch_error ? batch_error : std::move(errors[i]);
    }
    errors.clear();
    batch_error = nullptr;
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(outcome[i]));
    batch.clear();
  }
  conn_->checkpoint();
  conn_->close();  // now, as the thread ends: not when the queue is destroyed
}

}  // namespace krasip::storage
