#include "krasip/cases/evidence/attachment_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "krasip/cases/common/secure_buffer.hpp"
#include "krasip/storage/errors.hpp"

namespace krasip::cases {

namespace {

[[noreturn]] void io_fail(const char* what) {
  throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// A read-only or full filesystem means the store cannot take writes, as for
// the database: the request is refused as storage unavailable (503), and
// the partial file is removed.
[[noreturn]] void write_fail(const char* what) {
  const int err = errno;
  if (err == EACCES || err == EPERM || err == EROFS || err == ENOSPC || err == EDQUOT ||
      err == EIO) {
    throw storage::StorageUnavailable(0, std::string(what) + ": " + std::strerror(err));
  }
  io_fail(what);
}

void fsync_dir(const std::filesystem::path& dir) {
  FileHandle d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d || ::fsync(d.get()) != 0) write_fail("cannot fsync the attachments folder");
}

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

// --- SecureBuffer -----------------------------------------------------------

void SecureBuffer::append(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  if (data.size() > max_ - size_) throw std::length_error("secure buffer limit");
  if (size_ + data.size() > buf_.size()) {
    std::size_t cap = buf_.size() == 0 ? 256 * 1024 : buf_.size();
    while (cap < size_ + data.size()) cap *= 2;
    cap = std::min(cap, max_);
    crypto::SecureBytes bigger(cap);
    if (size_ != 0) std::memcpy(bigger.data(), buf_.data(), size_);
    buf_ = std::move(bigger);  // the old one is zeroed by sodium_free
  }
  std::memcpy(buf_.data() + size_, data.data(), data.size());
  size_ += data.size();
}

// --- FileHandle ---------------------------------------------------------------

FileHandle& FileHandle::operator=(FileHandle&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

void FileHandle::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

// --- EncryptedFileWriter -------------------------------------------------------

EncryptedFileWriter::EncryptedFileWriter(std::filesystem::path dir, std::string name,
                                         const crypto::SecureBytes& key,
                                         std::string associated_data)
    : dir_(std::move(dir)),
      part_path_(dir_ / (name + ".part")),
      final_path_(dir_ / name),
      ad_(std::move(associated_data)),
      enc_(key),
      chunk_(crypto::kFileChunkBytes) {
  fd_ = FileHandle(::open(part_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd_) write_fail("cannot create attachment file");
  std::uint8_t header[kAttachmentHeaderBytes];
  std::memcpy(header, kAttachmentMagic.data(), 8);
  put_u32(header + 8, static_cast<std::uint32_t>(crypto::kFileChunkBytes));
  std::memcpy(header + 12, enc_.header().data(), crypto::kStreamHeaderBytes);
  try {
    write_all(header, sizeof header);
  } catch (...) {
    discard();
    throw;
  }
}

EncryptedFileWriter::~EncryptedFileWriter() {
  if (!kept_) discard();
}

void EncryptedFileWriter::discard() noexcept {
  fd_.reset();
  std::error_code ec;
  std::filesystem::remove(part_path_, ec);
  if (committed_) std::filesystem::remove(final_path_, ec);
  kept_ = true;  // nothing left to remove
}

void EncryptedFileWriter::write_all(const std::uint8_t* p, std::size_t n) {
  while (n != 0) {
    const ssize_t w = ::write(fd_.get(), p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      write_fail("cannot write attachment file");
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void EncryptedFileWriter::flush_chunk(bool final) {
  enc_.push({chunk_.data(), chunk_fill_}, ad_, final, out_);
  sodium_memzero(chunk_.data(), chunk_fill_);
  chunk_fill_ = 0;
  write_all(out_.data(), out_.size());
}

void EncryptedFileWriter::write(std::span<const std::uint8_t> plain) {
  if (committed_) throw std::logic_error("attachment file already committed");
  while (!plain.empty()) {
    // A full chunk is sealed only when more data follows, so that the last
    // chunk (whatever its size) is the one tagged FINAL.
    if (chunk_fill_ == chunk_.size()) flush_chunk(false);
    const std::size_t n = std::min(plain.size(), chunk_.size() - chunk_fill_);
    std::memcpy(chunk_.data() + chunk_fill_, plain.data(), n);
    chunk_fill_ += n;
    plain_bytes_ += n;
    plain = plain.subspan(n);
  }
}

void EncryptedFileWriter::commit() {
  if (committed_) return;
  flush_chunk(true);
  if (::fsync(fd_.get()) != 0) write_fail("cannot fsync attachment file");
  fd_.reset();
  std::filesystem::rename(part_path_, final_path_);
  committed_ = true;
  fsync_dir(dir_);
}

// --- EncryptedFileReader -------------------------------------------------------

EncryptedFileReader::EncryptedFileReader(const std::filesystem::path& path,
                                         const crypto::SecureBytes& key,
                                         std::string associated_data)
    : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), ad_(std::move(associated_data)) {
  if (!fd_) io_fail("cannot open attachment file");
  std::uint8_t header[kAttachmentHeaderBytes];
  std::size_t got = 0;
  while (got < sizeof header) {
    const ssize_t r = ::read(fd_.get(), header + got, sizeof header - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw crypto::DecryptError();
    got += static_cast<std::size_t>(r);
  }
  if (std::memcmp(header, kAttachmentMagic.data(), 8) != 0) throw crypto::DecryptError();
  chunk_bytes_ = get_u32(header + 8);
  if (chunk_bytes_ == 0 || chunk_bytes_ > 16 * 1024 * 1024) throw crypto::DecryptError();
  dec_.emplace(key, crypto::ByteView(header + 12, crypto::kStreamHeaderBytes));
  in_.resize(chunk_bytes_ + crypto::kStreamChunkOverhead);
  out_ = crypto::SecureBytes(chunk_bytes_);
}

std::optional<std::span<const std::uint8_t>> EncryptedFileReader::next() {
  std::size_t got = 0;
  while (got < in_.size()) {
    const ssize_t r = ::read(fd_.get(), in_.data() + got, in_.size() - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      io_fail("cannot read attachment file");
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  if (got == 0) {
    if (!dec_->finished()) throw crypto::DecryptError();  // truncated
    return std::nullopt;
  }
  if (dec_->finished()) throw crypto::DecryptError();  // bytes after the final chunk
  const std::size_t n = dec_->pull({in_.data(), got}, ad_, out_.data());
  return std::span<const std::uint8_t>(out_.data(), n);
}

}  // namespace krasip::cases
