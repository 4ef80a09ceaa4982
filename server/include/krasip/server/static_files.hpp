#pragma once
#include <filesystem>
#include <optional>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// Serves the files under one folder. Only known file types, only regular
// files that resolve (after symlinks) inside the folder; ".." segments,
// encoded slashes and NUL bytes are refused before touching the disk.
class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  struct File {
    std::string body;
    const char* content_type;
    bool is_page;
  };
  // nullopt when there is no such file to serve.
  std::optional<File> find(std::string_view target) const;

 private:
  std::filesystem::path root_;
};

const char* content_type_for(const std::filesystem::path& path);

}  // namespace krasip::server
