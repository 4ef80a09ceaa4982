// Office cleaning: the first byte picks the type (DOCX XLSX PPTX ODT ODS),
// the rest is the archive. Cleaned or refused, never both; a cleaned
// document cleans again (the output is a valid archive of the same type).
#include <cstdint>
#include <span>
#include <string_view>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kMimes[] = {
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.spreadsheet",
  };
  if (size == 0) return 0;
  const auto mime = kMimes[data[0] % 5];
  const auto r = krasip::cleaner::clean_office(std::span(data + 1, size - 1), mime);
  if (r.cleaned != r.not_cleaned_reason.empty() || r.cleaned == r.bytes.empty()) __builtin_trap();
  if (r.cleaned && !krasip::cleaner::clean_office(r.bytes, mime).cleaned) __builtin_trap();
  return 0;
}
