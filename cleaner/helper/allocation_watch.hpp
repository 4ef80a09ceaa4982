#pragma once

namespace krasip::cleaner {

// Whether any allocation of this process failed (the address-space limit
// reached), wherever it happened. Libraries do not always let
// std::bad_alloc or a NULL from malloc reach us: qpdf turns an object it
// could not read into null and goes on, a C parser reports "damaged". A file
// that needs more memory than the helper may use must be answered "out of
// memory" (422 file_not_processed, nothing stored), never stored as
// damaged or half cleaned. Always false in sanitizer builds, which have
// their own allocator and no address-space limit.
bool allocation_failed();

}  // namespace krasip::cleaner
