#include "krasip/cleaner/formats.hpp"
#include "pdf_qpdf.hpp"

namespace krasip::cleaner {

Cleaned clean_pdf(std::span<const std::uint8_t> in) {
  auto r = clean_pdf_bytes(in.data(), in.size());
  Cleaned out;
  out.bytes = std::move(r.bytes);
  out.cleaned = r.cleaned;
  out.removed = std::move(r.removed);
  out.not_cleaned_reason = std::move(r.not_cleaned_reason);
  out.over_limit = r.over_limit;
  return out;
}

}  // namespace krasip::cleaner
