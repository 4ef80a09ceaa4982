#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "krasip/crypto/bytes.hpp"
#include "krasip/crypto/file_stream.hpp"
#include "krasip/crypto/secure_bytes.hpp"

namespace krasip::cases {

// The on-disk form of an evidence file, DATA_DIR/attachments/<hex>.enc:
//   "KRSPATT1" | chunk size (u32, little endian) | secretstream header (24)
//   | chunks: each kFileChunkBytes of plaintext + 17 bytes, the last one
//     (possibly shorter, possibly empty) tagged FINAL.
// Every chunk is authenticated with the associated data that binds the file
// to its case and attachment uid. Plaintext never reaches the disk.
inline constexpr std::string_view kAttachmentMagic = "KRSPATT1";
inline constexpr std::size_t kAttachmentHeaderBytes = 8 + 4 + crypto::kStreamHeaderBytes;

// RAII file descriptor.
class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : fd_(fd) {}
  FileHandle(FileHandle&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileHandle& operator=(FileHandle&& o) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// Writes `<dir>/<name>.part` as plaintext arrives; `commit()` seals the last
// chunk, fsyncs, renames it to `<dir>/<name>` and fsyncs the folder. The
// destructor removes whatever was written unless `keep()` was called.
class EncryptedFileWriter {
 public:
  EncryptedFileWriter(std::filesystem::path dir, std::string name, const crypto::SecureBytes& key,
                      std::string associated_data);
  EncryptedFileWriter(const EncryptedFileWriter&) = delete;
  EncryptedFileWriter& operator=(const EncryptedFileWriter&) = delete;
  ~EncryptedFileWriter();

  void write(std::span<const std::uint8_t> plain);
  void commit();
  // After the database row that refers to the file is committed.
  void keep() { kept_ = true; }
  // Removes the file now (partial or committed-but-unreferenced).
  void discard() noexcept;

  std::uint64_t plaintext_bytes() const { return plain_bytes_; }
  const std::filesystem::path& final_path() const { return final_path_; }

 private:
  void write_all(const std::uint8_t* p, std::size_t n);
  void flush_chunk(bool final);

  std::filesystem::path dir_;
  std::filesystem::path part_path_;
  std::filesystem::path final_path_;
  std::string ad_;
  FileHandle fd_;
  crypto::StreamEncryptor enc_;
  crypto::SecureBytes chunk_;
  std::size_t chunk_fill_ = 0;
  crypto::Bytes out_;
  std::uint64_t plain_bytes_ = 0;
  bool committed_ = false;
  bool kept_ = false;
};

// Reads and decrypts such a file chunk by chunk (bounded memory).
class EncryptedFileReader {
 public:
  // Throws DecryptError if the header is not ours or the key is wrong.
  EncryptedFileReader(const std::filesystem::path& path, const crypto::SecureBytes& key,
                      std::string associated_data);
  // The next plaintext chunk (valid until the next call), or nullopt at the
  // authenticated end. Throws DecryptError on tampering or truncation.
  std::optional<std::span<const std::uint8_t>> next();

 private:
  FileHandle fd_;
  std::string ad_;
  std::optional<crypto::StreamDecryptor> dec_;
  std::size_t chunk_bytes_ = 0;
  crypto::Bytes in_;
  crypto::SecureBytes out_;
};

}  // namespace krasip::cases
