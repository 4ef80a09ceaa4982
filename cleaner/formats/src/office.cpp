// Office documents (OOXML and ODF) with libzip: the upload is read from
// memory and a NEW archive is written to memory with the metadata parts
// dropped or replaced and the XML parts rewritten (office_xml.cpp). Nothing
// of the old archive's framing survives: no archive comment, no extra
// fields, and every entry dated 1980-01-01 (the saved times are metadata too).
//
// Syscalls beyond read/write/mmap: none (libzip works on buffer sources).
#include <zip.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "image_strip.hpp"
#include "krasip/cleaner/formats.hpp"
#include "office_xml.hpp"
#include "removed_labels.hpp"

namespace krasip::cleaner {

namespace {

using office::PartKind;

// Bounds against zip bombs (a part of zeros deflates about 1000 to 1),
// checked on the sizes the archive declares before a byte is inflated
// (zip_fread then reads no more than the declared size, so a part that
// understates it cannot inflate further). Well under the helper's default
// 512 MiB address-space limit (--cleaner-memory-mib), so a bomb is refused
// by decision: over_limit, 422 file_not_processed, nothing stored; and the
// same in the sanitizer builds, which run the helper without that limit.
constexpr std::uint64_t kMaxEntrySize = 128ull << 20;  // one part, unpacked
constexpr std::uint64_t kMaxTotalSize = 256ull << 20;  // all parts, unpacked
constexpr std::uint64_t kMaxEntries = 20000;

enum class Family { ooxml, odf };

struct Type {
  std::string_view mime;
  Family family;
  std::string_view marker;  // OOXML: in [Content_Types].xml; ODF: the mimetype entry
};
constexpr Type kTypes[] = {
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", Family::ooxml,
     "wordprocessingml"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Family::ooxml, "spreadsheetml"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", Family::ooxml,
     "presentationml"},
    {"application/vnd.oasis.opendocument.text", Family::odf, "application/vnd.oasis.opendocument.text"},
    {"application/vnd.oasis.opendocument.spreadsheet", Family::odf,
     "application/vnd.oasis.opendocument.spreadsheet"},
};

struct Entry {
  std::string name;
  std::string data;
  bool stored = false;  // not compressed in the upload: keep it so (images, mimetype)
  bool directory = false;
  // Unchanged entries of the upload (index >= 0, stored or deflated) are
  // copied compressed as they are: recompressing photos costs most of the time.
  zip_int64_t source_index = -1;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

struct Archive {
  ZipPtr zip;
  std::vector<Entry> entries;
};
struct SourceFreer {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

// Reads every entry; nullopt (with a reason) if the archive is damaged,
// encrypted or too big.
std::optional<Archive> read_archive(std::span<const std::uint8_t> in, std::string& reason, bool& over_limit) {
  reason = "damaged document";
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(in.data(), in.size(), 0, &error);
  zip_error_fini(&error);
  if (src == nullptr) return std::nullopt;
  zip_error_init(&error);
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  zip_error_fini(&error);
  if (raw == nullptr) {
    zip_source_free(src);
    return std::nullopt;
  }
  ZipPtr archive(raw);
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count < 0 || static_cast<std::uint64_t>(count) > kMaxEntries) return std::nullopt;
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE)) {
      return std::nullopt;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      reason = "encrypted document";
      return std::nullopt;
    }
    total += st.size;
    if (st.size > kMaxEntrySize || total > kMaxTotalSize) {
      reason = "document too large once unpacked";
      over_limit = true;
      return std::nullopt;
    }
    Entry e;
    e.name = st.name;
    e.stored = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE;
    const bool deflated = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_DEFLATE;
    if (e.stored || deflated) e.source_index = static_cast<zip_int64_t>(i);
    if (!e.name.empty() && e.name.back() == '/') {
      e.directory = true;
      entries.push_back(std::move(e));
      continue;
    }
    zip_file_t* file = zip_fopen_index(archive.get(), i, 0);
    if (file == nullptr) return std::nullopt;
    e.data.resize(st.size);
    const zip_int64_t got = st.size ? zip_fread(file, e.data.data(), st.size) : 0;
    const int close_error = zip_fclose(file);  // also reports a CRC mismatch
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size || close_error != 0) return std::nullopt;
    entries.push_back(std::move(e));
  }
  return Archive{std::move(archive), std::move(entries)};
}

std::optional<std::vector<std::uint8_t>> write_archive(zip_t* source, const std::vector<const Entry*>& entries,
                                                       Family family) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFreer> src(zip_source_buffer_create(nullptr, 0, 0, &error));
  zip_error_fini(&error);
  if (!src) return std::nullopt;
  zip_error_init(&error);
  zip_t* archive = zip_open_from_source(src.get(), ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (archive == nullptr) return std::nullopt;
  zip_source_keep(src.get());  // the archive owns one reference; we read it after closing
  std::unique_ptr<zip_t, ZipCloser> guard(archive);
  for (const Entry* e : entries) {
    zip_int64_t index;
    if (e->directory) {
      index = zip_dir_add(archive, e->name.c_str(), ZIP_FL_ENC_UTF_8);
    } else {
      const bool store = e->stored || (family == Family::odf && e->name == "mimetype");
      const bool raw = e->source_index >= 0 && (store == e->stored);
      zip_source_t* data =
          raw ? zip_source_zip(archive, source, static_cast<zip_uint64_t>(e->source_index), ZIP_FL_COMPRESSED, 0, -1)
              : zip_source_buffer(archive, e->data.data(), e->data.size(), 0);
      if (data == nullptr) return std::nullopt;
      index = zip_file_add(archive, e->name.c_str(), data, ZIP_FL_ENC_UTF_8);
      if (index < 0) {
        zip_source_free(data);
        return std::nullopt;  // a duplicate name among other things
      }
      // Stored entries are stored again (libzip would deflate a small one
      // otherwise, and ODF's mimetype must be stored); deflated raw copies stay as they are.
      if ((store || !raw) && zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                                      store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0)
        return std::nullopt;
    }
    if (index < 0) return std::nullopt;
    // 1980-01-01 00:00, the earliest DOS date.
    if (zip_file_set_dostime(archive, static_cast<zip_uint64_t>(index), 0, (1 << 5) | 1, 0) != 0)
      return std::nullopt;
  }
  if (zip_close(guard.release()) != 0) {
    zip_discard(archive);
    return std::nullopt;
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(src.get(), &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src.get()) != 0)
    return std::nullopt;
  std::vector<std::uint8_t> out(st.size);
  const zip_int64_t got = st.size ? zip_source_read(src.get(), out.data(), st.size) : 0;
  zip_source_close(src.get());
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) return std::nullopt;
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string rels_base(const std::string& rels_path) {
  // "word/_rels/document.xml.rels" -> "word/"; "_rels/.rels" -> ""
  const auto at = rels_path.rfind("_rels/");
  return at == std::string::npos ? std::string() : rels_path.substr(0, at);
}

// A quick look before parsing: only parts that can hold what the rewriter
// changes are parsed (the rules match local names, so the prefixes do not matter).
bool may_need_rewrite(std::string_view xml, Family family) {
  static constexpr std::string_view kOoxml[] = {"rsid", "dt=", "author", "Author", "initials", "date",
                                                "userId", "providerId", "userName", "userInfo",
                                                "absPath", "displayName", "attachedTemplate"};
  static constexpr std::string_view kOdf[] = {"annotation", "change-info"};
  if (family == Family::ooxml) {
    return std::any_of(std::begin(kOoxml), std::end(kOoxml),
                       [&](std::string_view w) { return xml.find(w) != std::string_view::npos; });
  }
  return std::any_of(std::begin(kOdf), std::end(kOdf),
                     [&](std::string_view w) { return xml.find(w) != std::string_view::npos; });
}

constexpr std::string_view kCoreXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<cp:coreProperties "
    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
    "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"></cp:coreProperties>";
constexpr std::string_view kAppXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"></Properties>";

std::string odf_meta_xml(const std::string& version) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
         "office:version=\"" +
         version + "\"><office:meta/></office:document-meta>";
}

enum class Role { keep, drop, core, app, odf_meta };

constexpr std::string_view kRelCore =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
constexpr std::string_view kRelApp =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties";
constexpr std::string_view kRelCustom =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
constexpr std::string_view kRelThumbnail =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail";

}  // namespace

Cleaned clean_office(std::span<const std::uint8_t> in, std::string_view mime) {
  const Type* type = nullptr;
  for (const auto& t : kTypes) {
    if (t.mime == mime) type = &t;
  }
  if (type == nullptr) return not_cleaned("unsupported document type");

  std::string reason;
  bool over_limit = false;
  auto archive = read_archive(in, reason, over_limit);
  if (!archive) {
    auto refused = not_cleaned(reason);
    refused.over_limit = over_limit;
    return refused;
  }
  auto* entries = &archive->entries;
  const auto find = [&](std::string_view name) -> Entry* {
    for (auto& e : *entries) {
      if (e.name == name) return &e;
    }
    return nullptr;
  };

  Labels removed;
  std::map<std::string, Role> roles;
  std::set<std::string> dropped;
  const auto drop = [&](const std::string& name, std::string_view label) {
    roles[name] = Role::drop;
    dropped.insert(name);
    removed.add(label);
  };

  if (type->family == Family::ooxml) {
    const Entry* types = find("[Content_Types].xml");
    if (types == nullptr || types->data.find(type->marker) == std::string::npos)
      return not_cleaned("not a " + std::string(type->marker) + " document");
    roles["docProps/core.xml"] = Role::core;
    roles["docProps/app.xml"] = Role::app;
    if (const Entry* root = find("_rels/.rels")) {
      const auto rels = office::read_relationships(root->data, "");
      if (!rels) return not_cleaned("damaged document");
      for (const auto& r : *rels) {
        if (r.type == kRelCore) roles[r.target] = Role::core;
        else if (r.type == kRelApp) roles[r.target] = Role::app;
        else if (r.type == kRelCustom) drop(r.target, "custom properties");
        else if (r.type == kRelThumbnail) drop(r.target, "thumbnail");
      }
    }
    for (const auto& e : *entries) {
      const auto& n = e.name;
      if (n == "docProps/custom.xml") drop(n, "custom properties");
      else if (starts_with(n, "docProps/thumbnail")) drop(n, "thumbnail");
      else if (n.find("printerSettings/") != std::string::npos) drop(n, "printer settings");
      else if (n == "word/people.xml") drop(n, "comments' authors");
      // SharePoint and add-in data: document owners, paths, IDs.
      else if (starts_with(n, "customXml/")) drop(n, "custom XML data");
    }
  } else {
    const Entry* m = find("mimetype");
    if (m == nullptr || m->data != type->marker) return not_cleaned("not a " + std::string(mime) + " document");
    const Entry* manifest = find("META-INF/manifest.xml");
    if (manifest == nullptr) return not_cleaned("damaged document");
    if (office::odf_manifest_encrypted(manifest->data)) return not_cleaned("encrypted document");
    roles["meta.xml"] = Role::odf_meta;
    for (const auto& e : *entries) {
      if (starts_with(e.name, "Thumbnails/")) drop(e.name, "thumbnail");
    }
  }

  // New contents, in the upload's order (ODF: mimetype first, as its spec requires).
  std::deque<Entry> replaced;  // stable addresses for the pointers below
  std::vector<const Entry*> plan;
  if (type->family == Family::odf) plan.push_back(find("mimetype"));
  for (const auto& e : *entries) {
    if (type->family == Family::odf && e.name == "mimetype") continue;
    const auto role_it = roles.find(e.name);
    const Role role = role_it == roles.end() ? Role::keep : role_it->second;
    if (role == Role::drop) continue;
    if (e.directory) {
      if (!(type->family == Family::odf && e.name == "Thumbnails/")) plan.push_back(&e);
      continue;
    }
    if (role == Role::core || role == Role::app || role == Role::odf_meta) {
      if (!office::label_properties(e.data, removed)) return not_cleaned("damaged document");
      Entry fresh{e.name, {}, false, false, -1};
      fresh.data = role == Role::core  ? std::string(kCoreXml)
                   : role == Role::app ? std::string(kAppXml)
                                       : odf_meta_xml(office::odf_version(e.data));
      plan.push_back(&replaced.emplace_back(std::move(fresh)));
      continue;
    }
    // Pictures (found by content, whatever their names): a pasted phone photo keeps its GPS.
    const bool jpeg = e.data.size() >= 2 && e.data[0] == '\xff' && e.data[1] == '\xd8';
    const bool png = e.data.compare(0, 8, std::string_view("\x89PNG\r\n\x1a\n", 8)) == 0;
    if (jpeg || png) {
      bool stripped = false;
      auto picture = jpeg ? strip_jpeg(e.data, stripped) : strip_png(e.data, stripped);
      if (!picture) return not_cleaned("damaged picture in the document");
      if (!stripped) {
        plan.push_back(&e);
      } else {
        removed.add("metadata of pictures inside");
        // Stored: deflate gains nothing on JPEG or PNG data and is the slowest step.
        plan.push_back(&replaced.emplace_back(Entry{e.name, std::move(*picture), true, false, -1}));
      }
      continue;
    }
    PartKind kind;
    bool always = false;
    if (type->family == Family::ooxml) {
      if (e.name == "[Content_Types].xml") kind = PartKind::ooxml_content_types, always = true;
      else if (ends_with(e.name, ".rels")) kind = PartKind::ooxml_relationships, always = true;
      else if (ends_with(e.name, ".xml")) kind = PartKind::ooxml_part;
      else {
        plan.push_back(&e);
        continue;
      }
    } else {
      if (e.name == "META-INF/manifest.xml") kind = PartKind::odf_manifest, always = true;
      else if (e.name == "settings.xml") kind = PartKind::odf_settings, always = true;
      else if (ends_with(e.name, ".xml")) kind = PartKind::odf_part;
      else {
        plan.push_back(&e);
        continue;
      }
    }
    if (!always && !may_need_rewrite(e.data, type->family)) {
      plan.push_back(&e);
      continue;
    }
    office::PartContext context{&dropped, rels_base(e.name)};
    auto rewritten = office::rewrite_part(e.data, kind, context, removed);
    if (!rewritten.ok) return not_cleaned("damaged document");
    if (!rewritten.changed) {
      plan.push_back(&e);
    } else {
      plan.push_back(&replaced.emplace_back(Entry{e.name, std::move(rewritten.xml), e.stored, false, -1}));
    }
  }

  auto bytes = write_archive(archive->zip.get(), plan, type->family);
  if (!bytes) return not_cleaned("damaged document");
  Cleaned out;
  out.bytes = std::move(*bytes);
  out.cleaned = true;
  out.removed = std::move(removed).labels();
  return out;
}

}  // namespace krasip::cleaner
