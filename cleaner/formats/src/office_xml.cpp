#include "office_xml.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstring>
#include <memory>

namespace krasip::cleaner::office {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kX15ac = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac";
constexpr const char* kDc = "http://purl.org/dc/elements/1.1/";
constexpr const char* kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr const char* kConfig = "urn:oasis:names:tc:opendocument:xmlns:config:1.0";
constexpr const char* kManifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
// A fixed time for ODF change records, whose schema requires a dc:date.
constexpr const char* kNeutralDate = "1970-01-01T00:00:00";

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

// No DTDs (OOXML and ODF parts have none; refusing them rules out entity
// expansion bombs and external entities), no network, and libxml2's errors
// not printed: they would quote the document.
DocPtr parse(std::string_view xml) {
  if (xml.size() > INT_MAX || xml.find("<!DOCTYPE") != std::string_view::npos) return nullptr;
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return nullptr;
  DocPtr owned(doc);
  if (doc->intSubset != nullptr || doc->extSubset != nullptr || xmlDocGetRootElement(doc) == nullptr)
    return nullptr;
  return owned;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* buf = nullptr;
  int len = 0;
  xmlDocDumpMemoryEnc(doc, &buf, &len, "UTF-8");
  std::string out(reinterpret_cast<const char*>(buf), buf ? static_cast<std::size_t>(len) : 0);
  xmlFree(buf);
  return out;
}

bool in_ns(const xmlNode* n, const char* href) {
  return n->ns != nullptr && n->ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), href) == 0;
}
bool attr_in_ns(const xmlAttr* a, const char* href) {
  return a->ns != nullptr && a->ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(a->ns->href), href) == 0;
}
bool named(const xmlNode* n, const char* local) {
  return std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0;
}
bool attr_named(const xmlAttr* a, const char* local) {
  return std::strcmp(reinterpret_cast<const char*>(a->name), local) == 0;
}
std::string attr_value(xmlNode* n, const char* local) {
  for (xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (attr_named(a, local)) {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
      std::string s = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      return s;
    }
  }
  return {};
}
std::string text_of(xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}
void set_value(xmlAttr* a, std::string_view value) {
  xmlNodeSetContent(reinterpret_cast<xmlNode*>(a), reinterpret_cast<const xmlChar*>(std::string(value).c_str()));
}
void set_text(xmlNode* n, std::string_view value) {
  xmlNodeSetContent(n, reinterpret_cast<const xmlChar*>(std::string(value).c_str()));
}
void remove_node(xmlNode* n) {
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

class Rewriter {
 public:
  Rewriter(PartKind kind, const PartContext& context, Labels& removed)
      : kind_(kind), context_(context), removed_(removed) {}

  bool changed() const { return changed_; }

  // Iterative over siblings, recursive over depth; libxml2 itself refuses
  // documents nested deeper than 256 levels without XML_PARSE_HUGE.
  void walk(xmlNode* first) {
    for (xmlNode* n = first; n != nullptr;) {
      xmlNode* next = n->next;
      if (n->type == XML_ELEMENT_NODE) {
        if (element(n)) {
          remove_node(n);
          changed_ = true;
        } else {
          walk(n->children);
        }
      }
      n = next;
    }
  }

 private:
  // Returns true when the element is to go.
  bool element(xmlNode* n) {
    switch (kind_) {
      case PartKind::ooxml_part: return ooxml(n);
      case PartKind::ooxml_relationships: return relationship(n);
      case PartKind::ooxml_content_types:
        return named(n, "Override") && dropped(resolve_part_path("", attr_value(n, "PartName")));
      case PartKind::odf_part: return odf(n);
      case PartKind::odf_settings: return odf_settings(n);
      case PartKind::odf_manifest:
        return in_ns(n, kManifest) && named(n, "file-entry") && dropped(attr_value(n, "full-path"));
    }
    return false;
  }

  bool dropped(const std::string& path) const {
    return context_.dropped != nullptr && context_.dropped->count(path) > 0;
  }

  void neutral(xmlAttr* a, std::string_view value, std::string_view label) {
    set_value(a, value);
    removed_.add(label);
    changed_ = true;
  }
  void drop(xmlAttr* a, std::string_view label) {
    xmlRemoveProp(a);
    removed_.add(label);
    changed_ = true;
  }

  bool ooxml(xmlNode* n) {
    if (in_ns(n, kW)) {
      if (named(n, "rsids")) {  // settings.xml: every editing session's ID
        removed_.add("editing session IDs (rsid)");
        return true;
      }
      if (named(n, "attachedTemplate")) {  // a path on the author's disk
        removed_.add("template");
        return true;
      }
      const bool comment = named(n, "comment");
      for (xmlAttr* a = n->properties; a != nullptr;) {
        xmlAttr* next = a->next;
        if (attr_in_ns(a, kW)) {
          if (std::strncmp(reinterpret_cast<const char*>(a->name), "rsid", 4) == 0) {
            drop(a, "editing session IDs (rsid)");
          } else if (attr_named(a, "author")) {
            neutral(a, kNeutralAuthor, comment ? "comments' authors" : "tracked changes' authors");
          } else if (attr_named(a, "initials")) {
            neutral(a, kNeutralInitials, "comments' authors");
          } else if (attr_named(a, "date")) {
            drop(a, comment ? "comments' dates" : "tracked changes' dates");
          }
        } else if (attr_named(a, "dateUtc")) {  // w16du / w16cex
          drop(a, "comments' dates");
        }
        a = next;
      }
      return false;
    }
    if (in_ns(n, kS) && named(n, "author") && n->parent != nullptr && named(n->parent, "authors")) {
      if (text_of(n) != kNeutralAuthor) {
        set_text(n, kNeutralAuthor);
        removed_.add("comments' authors");
        changed_ = true;
      }
      return false;
    }
    if (in_ns(n, kX15ac) && named(n, "absPath")) {  // the folder the workbook was saved in
      removed_.add("file path");
      return true;
    }
    // Comment authors of PowerPoint (cmAuthor, author) and Excel threaded
    // comments (person), and Excel shared-workbook revision users.
    const bool person = named(n, "cmAuthor") || named(n, "author") || named(n, "person");
    for (xmlAttr* a = n->properties; a != nullptr;) {
      xmlAttr* next = a->next;
      if (a->ns == nullptr) {
        if (person && (attr_named(a, "name") || attr_named(a, "displayName"))) {
          if (text_of(reinterpret_cast<xmlNode*>(a)) != kNeutralAuthor) neutral(a, kNeutralAuthor, "comments' authors");
        } else if (person && attr_named(a, "initials")) {
          if (text_of(reinterpret_cast<xmlNode*>(a)) != kNeutralInitials) neutral(a, kNeutralInitials, "comments' authors");
        } else if (person && (attr_named(a, "userId") || attr_named(a, "providerId"))) {
          drop(a, "comments' authors' accounts");
        } else if (named(n, "cm") && attr_named(a, "dt")) {  // PowerPoint comment time
          drop(a, "comments' dates");
        } else if (attr_named(a, "userName") || (named(n, "userInfo") && attr_named(a, "name"))) {
          if (text_of(reinterpret_cast<xmlNode*>(a)) != kNeutralAuthor) neutral(a, kNeutralAuthor, "revision authors");
        }
      }
      a = next;
    }
    return false;
  }

  bool relationship(xmlNode* n) {
    if (!named(n, "Relationship")) return false;
    if (attr_value(n, "TargetMode") == "External") {
      // A template attached from the author's disk names their folders.
      const auto type = attr_value(n, "Type");
      return type.size() >= 17 && type.compare(type.size() - 17, 17, "/attachedTemplate") == 0;
    }
    return dropped(resolve_part_path(context_.base, attr_value(n, "Target")));
  }

  bool odf(xmlNode* n) {
    const bool in_record = n->parent != nullptr && n->parent->type == XML_ELEMENT_NODE &&
                           in_ns(n->parent, kOffice) &&
                           (named(n->parent, "annotation") || named(n->parent, "change-info"));
    if (!in_record) return false;
    const bool annotation = named(n->parent, "annotation");
    if (in_ns(n, kDc) && named(n, "creator")) {
      if (text_of(n) != kNeutralAuthor) {
        set_text(n, kNeutralAuthor);
        removed_.add(annotation ? "comments' authors" : "tracked changes' authors");
        changed_ = true;
      }
    } else if (in_ns(n, kDc) && named(n, "date")) {
      if (text_of(n) != kNeutralDate) {
        set_text(n, kNeutralDate);
        removed_.add(annotation ? "comments' dates" : "tracked changes' dates");
        changed_ = true;
      }
    } else if (named(n, "creator-initials") || named(n, "sender-initials")) {
      if (text_of(n) != kNeutralInitials) {
        set_text(n, kNeutralInitials);
        removed_.add("comments' authors");
        changed_ = true;
      }
    }
    return false;
  }

  bool odf_settings(xmlNode* n) {
    if (!in_ns(n, kConfig) || !named(n, "config-item")) return false;
    const auto name = attr_value(n, "name");
    if (name == "PrinterName" || name == "PrinterSetup") {
      removed_.add("printer settings");
      return true;
    }
    return false;
  }

  PartKind kind_;
  const PartContext& context_;
  Labels& removed_;
  bool changed_ = false;
};

}  // namespace

std::string resolve_part_path(const std::string& base, std::string_view target) {
  std::string joined = !target.empty() && target.front() == '/' ? std::string(target.substr(1))
                                                                 : base + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto slash = joined.find('/', start);
    const auto piece = joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(piece);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

Rewritten rewrite_part(std::string_view xml, PartKind kind, const PartContext& context, Labels& removed) {
  Rewritten r;
  auto doc = parse(xml);
  if (!doc) return r;
  r.ok = true;
  Rewriter rewriter(kind, context, removed);
  rewriter.walk(xmlDocGetRootElement(doc.get()));
  if (rewriter.changed()) {
    r.changed = true;
    r.xml = serialize(doc.get());
  }
  return r;
}

std::optional<std::vector<Relationship>> read_relationships(std::string_view xml, const std::string& base) {
  auto doc = parse(xml);
  if (!doc) return std::nullopt;
  std::vector<Relationship> out;
  for (xmlNode* n = xmlDocGetRootElement(doc.get())->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !named(n, "Relationship")) continue;
    if (attr_value(n, "TargetMode") == "External") continue;
    out.push_back({attr_value(n, "Type"), resolve_part_path(base, attr_value(n, "Target"))});
  }
  return out;
}

namespace {
void label_property(xmlNode* n, Labels& removed) {
  for (; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (n->children != nullptr && n->children->type == XML_ELEMENT_NODE) {
      // meta:user-defined and docProps' nested vectors
      if (named(n, "HeadingPairs") || named(n, "TitlesOfParts")) continue;
      label_property(n->children, removed);
      continue;
    }
    if (text_of(n).empty() && n->properties == nullptr) continue;
    const char* name = reinterpret_cast<const char*>(n->name);
    const auto is = [&](const char* s) { return std::strcmp(name, s) == 0; };
    if (is("creator") && in_ns(n, kDc)) {
      // OOXML dc:creator is the author; ODF meta's dc:creator the last editor
      removed.add(n->parent != nullptr && in_ns(n->parent, kOffice) ? "last editor" : "author");
    } else if (is("initial-creator")) removed.add("author");
    else if (is("lastModifiedBy")) removed.add("last editor");
    else if (is("created") || is("modified") || is("creation-date") || is("date"))
      removed.add("creation and modification times");
    else if (is("lastPrinted") || is("print-date") || is("printed-by")) removed.add("printing details");
    else if (is("Company")) removed.add("company");
    else if (is("Manager")) removed.add("manager");
    else if (is("Template") || is("template")) removed.add("template");
    else if (is("TotalTime") || is("editing-duration") || is("editing-cycles") || is("revision"))
      removed.add("editing time and revisions");
    else if (is("Application") || is("AppVersion") || is("generator")) removed.add("software");
    else if (is("user-defined")) removed.add("custom properties");
    else if (is("title") || is("subject") || is("description") || is("keywords") || is("keyword") ||
             is("category") || is("contentStatus") || is("language") || is("identifier"))
      removed.add("document properties");
  }
}
}  // namespace

bool label_properties(std::string_view xml, Labels& removed) {
  auto doc = parse(xml);
  if (!doc) return false;
  label_property(xmlDocGetRootElement(doc.get())->children, removed);
  return true;
}

std::string odf_version(std::string_view xml) {
  auto doc = parse(xml);
  if (!doc) return "1.2";
  auto v = attr_value(xmlDocGetRootElement(doc.get()), "version");
  if (v.empty() || v.size() > 8 || v.find_first_not_of("0123456789.") != std::string::npos) return "1.2";
  return v;
}

bool odf_manifest_encrypted(std::string_view xml) {
  // Unparseable counts as encrypted: it cannot be shown to be plain.
  auto doc = parse(xml);
  if (!doc) return true;
  struct Finder {
    static bool any(xmlNode* n) {
      for (; n != nullptr; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (in_ns(n, kManifest) && named(n, "encryption-data")) return true;
        if (any(n->children)) return true;
      }
      return false;
    }
  };
  return Finder::any(xmlDocGetRootElement(doc.get()));
}

}  // namespace krasip::cleaner::office
