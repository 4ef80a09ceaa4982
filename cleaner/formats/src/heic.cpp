// HEIC/HEIF metadata removal (issue 14) by rewriting bytes in place.
//
// libheif (Debian's only HEIF library) cannot copy an image's coded data
// into a new file; rebuilding one would mean decoding and re-encoding the
// photo, which changes the evidence. So the file is kept byte for byte,
// same size, same offsets, and only metadata is neutralised:
//  - items of type Exif, mime (XMP is mime application/rdf+xml) and uri:
//    every byte of their data (iloc extents, which must lie inside an mdat)
//    is zeroed, and their infe entry gets a type no reader interprets, with
//    its name and content type zeroed;
//  - boxes that carry no part of the picture (a top-level uuid or moov, an
//    unknown box inside meta, a udes user-description property) become
//    'free' boxes full of zeros.
// Anything that does not parse exactly (a size past its parent, a version
// we do not know, metadata stored other than in the file's mdat, an extent
// that overlaps the picture's) is refused: not cleaned, never guessed at.
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "removed_labels.hpp"

namespace krasip::cleaner {

namespace {

// What a neutralised item is renamed to: no reader (libheif, exiftool,
// mat2) gives it a meaning, and it is not an image type.
constexpr char kNeutralItemType[4] = {'n', 'o', 'n', 'e'};
constexpr char kFreeBox[4] = {'f', 'r', 'e', 'e'};
// The checks below compare items and extents pairwise: bounded so that a
// crafted file costs milliseconds, far above what cameras write (a 48 MP
// iPhone photo has a few hundred items: grid tiles, auxiliary images).
constexpr std::uint64_t kMaxItems = 10000;
constexpr std::uint64_t kMaxExtents = 10000;

using Bytes = std::span<const std::uint8_t>;

bool is(const std::uint8_t* four, const char (&t)[5]) { return std::memcmp(four, t, 4) == 0; }

// A bounds-checked big-endian reader over [pos, end) of the file.
class Reader {
 public:
  Reader(Bytes data, std::size_t pos, std::size_t end) : d_(data), pos_(pos), end_(end) {}
  bool ok() const { return ok_; }
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return ok_ ? end_ - pos_ : 0; }
  std::uint64_t uint(unsigned bytes) {
    if (!ok_ || bytes > 8 || end_ - pos_ < bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v = (v << 8) | d_[pos_ + i];
    pos_ += bytes;
    return v;
  }
  const std::uint8_t* take(std::size_t n) {
    if (!ok_ || end_ - pos_ < n) {
      ok_ = false;
      return nullptr;
    }
    const auto* p = d_.data() + pos_;
    pos_ += n;
    return p;
  }
  // A NUL-terminated string; its bytes without the NUL.
  std::optional<std::string> cstring() {
    if (!ok_) return std::nullopt;
    const auto* b = d_.data() + pos_;
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(b, 0, end_ - pos_));
    if (nul == nullptr) {
      ok_ = false;
      return std::nullopt;
    }
    std::string s(b, nul);
    pos_ += static_cast<std::size_t>(nul - b) + 1;
    return s;
  }

 private:
  Bytes d_;
  std::size_t pos_;
  std::size_t end_;
  bool ok_ = true;
};

struct Box {
  std::size_t start = 0;    // first byte of the header
  std::size_t payload = 0;  // first byte after the header (and a uuid's usertype)
  std::size_t end = 0;      // one past the last byte
  std::size_t after_size_and_type = 0;  // where a renamed box's zeros begin
  const std::uint8_t* type = nullptr;
};

// The boxes that fill [pos, end) exactly; nullopt if one does not fit.
std::optional<std::vector<Box>> boxes_in(Bytes d, std::size_t pos, std::size_t end) {
  std::vector<Box> out;
  while (pos < end) {
    Reader r(d, pos, end);
    Box b;
    b.start = pos;
    std::uint64_t size = r.uint(4);
    b.type = r.take(4);
    if (size == 1) size = r.uint(8);
    if (!r.ok()) return std::nullopt;
    if (size == 0) size = end - pos;  // to the end of the parent
    b.after_size_and_type = r.pos();
    if (is(b.type, "uuid") && r.take(16) == nullptr) return std::nullopt;
    b.payload = r.pos();
    if (size < b.payload - pos || size > end - pos) return std::nullopt;
    b.end = pos + static_cast<std::size_t>(size);
    out.push_back(b);
    pos = b.end;
  }
  return out;
}

struct Range {
  std::size_t begin;
  std::size_t end;
};

bool overlaps(const Range& a, const Range& b) { return a.begin < b.end && b.begin < a.end; }

struct Item {
  std::uint32_t id = 0;
  std::size_t type_at = 0;   // the item_type's 4 bytes in the file
  std::size_t rest_at = 0;   // item_name and what follows, to the infe's end
  std::size_t infe_end = 0;
  std::size_t flags_at = 0;  // the infe's 3 flag bytes
  std::string type;
  std::string content_type;
};

struct Location {
  std::uint32_t id = 0;
  unsigned construction_method = 0;
  std::uint64_t data_reference_index = 0;
  std::vector<Range> extents;  // file offsets, for construction method 0
  bool unknown_length = false;  // an extent of length 0: "to the end"
};

// iinf: its infe entries (versions 2 and 3, which name the item's type).
std::optional<std::vector<Item>> parse_iinf(Bytes d, const Box& iinf) {
  Reader r(d, iinf.payload, iinf.end);
  const auto version = r.uint(1);
  r.uint(3);
  const auto count = r.uint(version == 0 ? 2 : 4);
  if (!r.ok()) return std::nullopt;
  const auto children = boxes_in(d, r.pos(), iinf.end);
  if (count > kMaxItems || !children || children->size() != count) return std::nullopt;
  std::vector<Item> items;
  for (const auto& b : *children) {
    if (!is(b.type, "infe")) return std::nullopt;
    Reader e(d, b.payload, b.end);
    Item it;
    const auto v = e.uint(1);
    it.flags_at = e.pos();
    e.uint(3);
    if (v != 2 && v != 3) return std::nullopt;  // v0/v1 carry no item type
    it.id = static_cast<std::uint32_t>(e.uint(v == 2 ? 2 : 4));
    e.uint(2);  // item_protection_index
    it.type_at = e.pos();
    const auto* type = e.take(4);
    if (!e.ok()) return std::nullopt;
    it.type.assign(type, type + 4);
    it.rest_at = e.pos();
    it.infe_end = b.end;
    if (!e.cstring()) return std::nullopt;  // item_name
    if (it.type == "mime") {
      auto ct = e.cstring();
      if (!ct) return std::nullopt;
      it.content_type = std::move(*ct);
    }
    for (const auto& other : items) {
      if (other.id == it.id) return std::nullopt;
    }
    items.push_back(std::move(it));
  }
  return items;
}

// iloc: where each item's bytes are (versions 0 to 2).
std::optional<std::vector<Location>> parse_iloc(Bytes d, const Box& iloc) {
  Reader r(d, iloc.payload, iloc.end);
  const auto version = r.uint(1);
  r.uint(3);
  if (version > 2) return std::nullopt;
  const auto sizes = r.uint(1);
  const auto more = r.uint(1);
  const unsigned offset_size = sizes >> 4, length_size = sizes & 15, base_offset_size = more >> 4;
  const unsigned index_size = version >= 1 ? (more & 15) : 0;
  for (unsigned s : {offset_size, length_size, base_offset_size, index_size}) {
    if (s != 0 && s != 4 && s != 8) return std::nullopt;
  }
  const auto count = r.uint(version < 2 ? 2 : 4);
  if (count > kMaxItems) return std::nullopt;
  std::vector<Location> out;
  std::uint64_t all_extents = 0;
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) {
    Location l;
    l.id = static_cast<std::uint32_t>(r.uint(version < 2 ? 2 : 4));
    if (version >= 1) l.construction_method = r.uint(2) & 15;
    l.data_reference_index = r.uint(2);
    const auto base = r.uint(base_offset_size);
    const auto extents = r.uint(2);
    all_extents += extents;
    if (all_extents > kMaxExtents) return std::nullopt;
    for (std::uint64_t e = 0; e < extents && r.ok(); ++e) {
      r.uint(index_size);
      const auto off = r.uint(offset_size);
      const auto len = r.uint(length_size);
      if (len == 0) l.unknown_length = true;
      // Offsets only mean file positions for construction method 0; the
      // others are checked (and refused for metadata) by the caller.
      if (l.construction_method != 0) continue;
      if (base > d.size() || off > d.size() - base || len > d.size() - base - off) return std::nullopt;
      l.extents.push_back({static_cast<std::size_t>(base + off), static_cast<std::size_t>(base + off + len)});
    }
    for (const auto& other : out) {
      if (other.id == l.id) return std::nullopt;
    }
    out.push_back(std::move(l));
  }
  if (!r.ok()) return std::nullopt;
  return out;
}

// Whether an Exif item's TIFF data has a GPS IFD (tag 0x8825 in IFD0), to
// tell the reporter their position was in it.
bool exif_has_gps(Bytes d, const Location& loc) {
  if (loc.extents.size() != 1) return false;
  const auto e = loc.extents[0];
  Reader r(d, e.begin, e.end);
  const auto tiff = r.uint(4);  // exif_tiff_header_offset
  if (!r.ok() || tiff > r.left()) return false;
  const std::size_t t = r.pos() + static_cast<std::size_t>(tiff);
  if (e.end - t < 8) return false;
  const bool little = d[t] == 'I' && d[t + 1] == 'I';
  if (!little && !(d[t] == 'M' && d[t + 1] == 'M')) return false;
  auto get = [&](std::size_t at, unsigned n) -> std::optional<std::uint32_t> {
    if (at > e.end || e.end - at < n) return std::nullopt;
    std::uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= static_cast<std::uint32_t>(d[at + (little ? i : n - 1 - i)]) << (8 * i);
    return v;
  };
  const auto ifd0 = get(t + 4, 4);
  if (!ifd0 || *ifd0 > e.end - t) return false;
  const auto n = get(t + *ifd0, 2);
  if (!n) return false;
  for (std::uint32_t i = 0; i < *n; ++i) {
    const auto tag = get(t + *ifd0 + 2 + 12 * static_cast<std::size_t>(i), 2);
    if (!tag) return false;
    if (*tag == 0x8825) return true;
  }
  return false;
}

void zero(std::vector<std::uint8_t>& out, std::size_t begin, std::size_t end) {
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(begin), out.begin() + static_cast<std::ptrdiff_t>(end), 0);
}

// Turns a box into a 'free' box of the same size full of zeros.
void free_box(std::vector<std::uint8_t>& out, const Box& b) {
  std::memcpy(out.data() + b.start + 4, kFreeBox, 4);
  zero(out, b.after_size_and_type, b.end);
}

}  // namespace

Cleaned clean_heic(std::span<const std::uint8_t> in) {
  const auto top = boxes_in(in, 0, in.size());
  if (!top || top->empty() || !is(top->front().type, "ftyp")) return not_cleaned("the HEIF file is damaged");
  std::vector<std::uint8_t> out(in.begin(), in.end());
  Labels removed;
  std::vector<Range> mdats;
  std::vector<Range> freed;  // whole boxes zeroed: no picture byte may be in them
  const Box* meta = nullptr;
  for (const auto& b : *top) {
    if (is(b.type, "meta")) {
      if (meta != nullptr) return not_cleaned("the HEIF file has two meta boxes");
      meta = &b;
    } else if (is(b.type, "mdat")) {
      mdats.push_back({b.payload, b.end});
    } else if (!is(b.type, "ftyp") && !is(b.type, "free") && !is(b.type, "skip")) {
      // uuid (XMP, maker data), moov (an image sequence's track, with its
      // own tags): not needed to show the picture.
      free_box(out, b);
      freed.push_back({b.start, b.end});
      removed.add("other boxes (uuid, image sequence)");
    }
  }
  if (meta == nullptr) return not_cleaned("the HEIF file has no image items");
  if (Reader r(in, meta->payload, meta->end); r.uint(1) != 0 || !r.ok()) {
    return not_cleaned("the HEIF meta box has an unknown version");
  }
  const auto children = boxes_in(in, meta->payload + 4, meta->end);
  if (!children) return not_cleaned("the HEIF file is damaged");
  const Box* iinf = nullptr;
  const Box* iloc = nullptr;
  bool seen_ipco = false;
  bool picture_handler = false;
  for (const auto& b : *children) {
    if (is(b.type, "hdlr")) {
      Reader r(in, b.payload, b.end);
      r.uint(8);  // version, flags, pre_defined
      const auto* handler = r.take(4);
      picture_handler = r.ok() && is(handler, "pict");
    } else if (is(b.type, "iinf") || is(b.type, "iloc")) {
      const Box*& slot = is(b.type, "iinf") ? iinf : iloc;
      if (slot != nullptr) return not_cleaned("the HEIF file is damaged");
      slot = &b;
    } else if (is(b.type, "iprp")) {
      const auto props = boxes_in(in, b.payload, b.end);
      if (!props) return not_cleaned("the HEIF file is damaged");
      for (const auto& p : *props) {
        if (is(p.type, "ipco")) {
          if (seen_ipco) return not_cleaned("the HEIF file is damaged");
          seen_ipco = true;
          const auto list = boxes_in(in, p.payload, p.end);
          if (!list) return not_cleaned("the HEIF file is damaged");
          for (const auto& q : *list) {
            // A user description property: a name, a description, tags.
            if (is(q.type, "udes")) {
              free_box(out, q);
              removed.add("image description");
            }
          }
        }
      }
    } else if (!is(b.type, "pitm") && !is(b.type, "iref") && !is(b.type, "idat") && !is(b.type, "dinf") &&
               !is(b.type, "grpl") && !is(b.type, "ipro") && !is(b.type, "free") && !is(b.type, "skip")) {
      free_box(out, b);
      freed.push_back({b.start, b.end});
      removed.add("other boxes (uuid, image sequence)");
    }
  }
  if (!picture_handler) return not_cleaned("the HEIF file holds no picture");
  if (iinf == nullptr || iloc == nullptr) return not_cleaned("the HEIF file has no image items");
  const auto items = parse_iinf(in, *iinf);
  const auto locations = parse_iloc(in, *iloc);
  if (!items || !locations) return not_cleaned("the HEIF file is damaged");

  auto location_of = [&](std::uint32_t id) -> const Location* {
    for (const auto& l : *locations) {
      if (l.id == id) return &l;
    }
    return nullptr;
  };
  std::vector<Range> metadata;
  std::vector<bool> neutralised(items->size(), false);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Item& it = (*items)[i];
    const bool exif = it.type == "Exif";
    const bool mime = it.type == "mime";
    if (!exif && !mime && it.type != "uri ") continue;
    if (const Location* loc = location_of(it.id)) {
      // Metadata stored anywhere but the file's own mdat (in idat, in
      // another item, in another file) cannot be zeroed safely here.
      if (loc->construction_method != 0 || loc->data_reference_index != 0 || loc->unknown_length) {
        return not_cleaned("the HEIF metadata is stored in a way this cleaner does not rewrite");
      }
      for (const auto& e : loc->extents) {
        const auto holds = [&](const Range& m) { return e.begin >= m.begin && e.end <= m.end; };
        const bool in_mdat = std::any_of(mdats.begin(), mdats.end(), holds);
        if (!in_mdat) return not_cleaned("the HEIF metadata is outside the media data");
        metadata.push_back(e);
      }
      if (exif && exif_has_gps(in, *loc)) removed.add("EXIF GPS");
    }
    if (exif) {
      removed.add("EXIF");
    } else if (mime && it.content_type == "application/rdf+xml") {
      removed.add("XMP");
    } else {
      removed.add("embedded metadata item");
    }
    std::memcpy(out.data() + it.type_at, kNeutralItemType, 4);
    zero(out, it.rest_at, it.infe_end);
    out[it.flags_at + 2] |= 1;  // hidden: not a picture to show
    metadata.push_back({it.flags_at, it.infe_end});  // rewritten too
    neutralised[i] = true;
  }
  // Zeroing must not touch a byte of the picture: an item whose data
  // shares a byte with metadata or with a freed box means a crafted file.
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Location* loc = location_of((*items)[i].id);
    if (loc == nullptr || neutralised[i]) continue;
    for (const auto& e : loc->extents) {
      for (const auto& z : metadata) {
        if (overlaps(e, z)) return not_cleaned("the HEIF picture and its metadata share bytes");
      }
      for (const auto& z : freed) {
        if (overlaps(e, z)) return not_cleaned("the HEIF picture is stored in a box that is not media data");
      }
    }
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Location* loc = neutralised[i] ? location_of((*items)[i].id) : nullptr;
    if (loc == nullptr) continue;
    for (const auto& e : loc->extents) zero(out, e.begin, e.end);
  }

  Cleaned c;
  c.bytes = std::move(out);
  c.removed = std::move(removed).labels();
  c.cleaned = true;
  return c;
}

}  // namespace krasip::cleaner
