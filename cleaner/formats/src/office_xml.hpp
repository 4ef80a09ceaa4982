#pragma once
// The XML side of office cleaning (libxml2): parts are parsed as XML with
// namespaces, so a rule matches w:author whatever prefix the producer chose,
// and text, CDATA and markup we do not touch are written back as they were.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "labels.hpp"

namespace krasip::cleaner::office {

enum class PartKind {
  ooxml_part,           // any other OOXML .xml part: authors, rsids, dates
  ooxml_relationships,  // *.rels: relationships to dropped parts go
  ooxml_content_types,  // [Content_Types].xml: overrides for dropped parts go
  odf_part,             // content.xml, styles.xml...: annotation and change authors
  odf_settings,         // settings.xml: printer name and setup
  odf_manifest,         // META-INF/manifest.xml: entries for dropped files go
};

struct PartContext {
  const std::set<std::string>* dropped = nullptr;  // archive paths not written
  std::string base;  // folder a .rels file's relative targets start from
};

struct Rewritten {
  bool ok = false;       // false: not well-formed XML (or has a DTD)
  bool changed = false;  // false: write the original bytes
  std::string xml;
};

Rewritten rewrite_part(std::string_view xml, PartKind kind, const PartContext& context, Labels& removed);

struct Relationship {
  std::string type;    // the full Type URI
  std::string target;  // resolved to an archive path
};
// The relationships in a .rels part (internal targets only); nullopt if not XML.
std::optional<std::vector<Relationship>> read_relationships(std::string_view xml, const std::string& base);

// Labels for what a properties part (docProps/core.xml, app.xml, ODF
// meta.xml) held; false if it is not XML.
bool label_properties(std::string_view xml, Labels& removed);

// The office:version of an ODF meta.xml ("1.2" if absent or odd).
std::string odf_version(std::string_view xml);

// True if an ODF manifest lists encrypted entries.
bool odf_manifest_encrypted(std::string_view xml);

// "word/../media/a.png" -> "media/a.png"; leading "/" means from the root.
std::string resolve_part_path(const std::string& base, std::string_view target);

}  // namespace krasip::cleaner::office
