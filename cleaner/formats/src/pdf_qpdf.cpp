// PDF cleaning with libqpdf: the document is parsed from memory, the
// metadata carriers are cut out of the object graph, and QPDFWriter writes a
// new file that holds only the objects still reachable from the trailer (so
// removed dictionaries, XMP streams, attachments and older incremental
// revisions are not in the output at all).
//
// Compiled as C++17 under clang: qpdf 11.3's JSON.hh does not build as
// C++20 with clang and libstdc++ 12 (a vector of an incomplete type), so
// this file sees no std::span (pdf_qpdf.hpp; clean_pdf is in pdf.cpp).
//
// Syscalls beyond read/write/mmap: std::random_device (getrandom, or an open
// of /dev/urandom where getrandom is missing) for the new document ID.
#include <qpdf/Buffer.hh>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFLogger.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <exception>
#include <new>
#include <random>
#include <set>
#include <string>

#include "image_strip.hpp"
#include "labels.hpp"
#include "pdf_qpdf.hpp"

namespace krasip::cleaner {

namespace {

class PdfScrubber {
 public:
  explicit PdfScrubber(Labels& removed) : removed_(removed) {}

  void scrub_indirect(QPDFObjectHandle obj) { scrub(obj, 0); }

 private:
  static bool is_js_action(QPDFObjectHandle h) {
    return h.isDictionary() && h.getKey("/S").isNameAndEquals("/JavaScript");
  }

  // Removes `key` from `dict` if its value (an action, or in /AA a dictionary
  // of actions) runs JavaScript.
  void drop_js_action(QPDFObjectHandle dict, const std::string& key) {
    if (!dict.hasKey(key)) return;
    auto value = dict.getKey(key);
    if (is_js_action(value)) {
      dict.removeKey(key);
      removed_.add("JavaScript");
    }
  }

  void scrub_dict(QPDFObjectHandle dict, bool is_stream) {
    // XMP anywhere: catalog, pages, images, fonts.
    if (dict.hasKey("/Metadata")) {
      dict.removeKey("/Metadata");
      removed_.add("XMP metadata");
    }
    // Private data of the application that edited the page (Illustrator,
    // Acrobat), often with file paths and user names.
    if (dict.hasKey("/PieceInfo")) {
      dict.removeKey("/PieceInfo");
      removed_.add("application data (PieceInfo)");
    }
    // An embedded file's content hangs off its file specification's /EF:
    // without it, no attachment (names tree, annotation, /AF) has content.
    if (!is_stream && dict.hasKey("/EF")) {
      dict.removeKey("/EF");
      removed_.add("embedded files");
    }
    if (!is_stream && dict.hasKey("/Names")) {
      auto names = dict.getKey("/Names");
      if (names.isDictionary()) {
        if (names.hasKey("/EmbeddedFiles")) {
          names.removeKey("/EmbeddedFiles");
          removed_.add("embedded files");
        }
        if (names.hasKey("/JavaScript")) {
          names.removeKey("/JavaScript");
          removed_.add("JavaScript");
        }
      }
    }
    if (is_js_action(dict) && dict.hasKey("/JS")) {
      // Even if something still points at it, the action has no code left.
      dict.removeKey("/JS");
      removed_.add("JavaScript");
    }
    drop_js_action(dict, "/OpenAction");
    drop_js_action(dict, "/A");
    drop_js_action(dict, "/Next");
    if (dict.hasKey("/AA")) {
      auto aa = dict.getKey("/AA");
      if (aa.isDictionary()) {
        for (const auto& trigger : aa.getKeys()) drop_js_action(aa, trigger);
        if (aa.getKeys().empty()) dict.removeKey("/AA");
      }
    }
    if (dict.hasKey("/Annots")) {
      auto annots = dict.getKey("/Annots");
      if (annots.isArray()) {
        std::vector<QPDFObjectHandle> kept;
        bool dropped = false;
        for (auto& a : annots.getArrayAsVector()) {
          if (a.isDictionary() && a.getKey("/Subtype").isNameAndEquals("/FileAttachment")) {
            dropped = true;
          } else {
            kept.push_back(a);
          }
        }
        if (dropped) {
          annots.setArrayFromVector(kept);
          removed_.add("file attachments");
        }
      }
    }
    // Markup annotations (comments, highlights): /T is the author's name.
    if (!is_stream && dict.hasKey("/Subtype") && dict.hasKey("/Rect")) {
      auto subtype = dict.getKey("/Subtype");
      if (!subtype.isNameAndEquals("/Widget") && !subtype.isNameAndEquals("/Link")) {
        if (dict.hasKey("/T")) {
          dict.replaceKey("/T", QPDFObjectHandle::newString(std::string(kNeutralAuthor)));
          removed_.add("comments' authors");
        }
        for (const char* key : {"/M", "/CreationDate"}) {
          if (dict.hasKey(key)) {
            dict.removeKey(key);
            removed_.add("comments' dates");
          }
        }
      }
    }
    for (const auto& key : dict.getKeys()) scrub(dict.getKey(key), 1);
  }

  // A JPEG image stream is a whole JPEG file, EXIF and all: a phone photo
  // put into a PDF keeps its GPS position. Other filters are left alone.
  void scrub_jpeg_stream(QPDFObjectHandle stream) {
    auto dict = stream.getDict();
    if (!dict.getKey("/Subtype").isNameAndEquals("/Image")) return;
    auto filter = dict.getKey("/Filter");
    if (filter.isArray() && filter.getArrayNItems() == 1) filter = filter.getArrayItem(0);
    if (!filter.isNameAndEquals("/DCTDecode")) return;
    const auto raw = stream.getRawStreamData();
    const std::string_view bytes(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
    bool stripped = false;
    auto clean = strip_jpeg(bytes, stripped);
    if (!clean || !stripped) return;  // a JPEG we cannot walk is drawn as it is
    stream.replaceStreamData(*clean, dict.getKey("/Filter"), dict.getKey("/DecodeParms"));
    removed_.add("metadata of pictures inside");
  }

  void scrub(QPDFObjectHandle obj, int depth) {
    // Indirect objects reached from a parent are scrubbed on their own turn.
    if (depth > 0 && obj.isIndirect()) return;
    if (depth > 64) return;  // qpdf itself refuses deeper nesting when parsing
    if (obj.isStream()) {
      scrub_dict(obj.getDict(), true);
      scrub_jpeg_stream(obj);
    } else if (obj.isDictionary()) {
      scrub_dict(obj, false);
    } else if (obj.isArray()) {
      for (auto& item : obj.getArrayAsVector()) scrub(item, depth + 1);
    }
  }

  Labels& removed_;
};

// A decompression bomb in an object stream: to read any object in one,
// qpdf 11 inflates the whole stream into memory, with no limit of its own.
// Legitimate object streams hold dictionaries and are a few MiB at most.
// Page content and images are copied without being inflated, so a bomb
// there costs nothing and is not refused. (An xref stream is inflated while
// the file is opened, before this check: only RLIMIT_AS bounds that one.)
constexpr std::uint64_t kMaxObjectStreamBytes = 64ull << 20;

// Counts what an object stream inflates to and stops the inflating past the cap.
class CappedSink : public Pipeline {
 public:
  struct Over : std::exception {};
  explicit CappedSink(std::uint64_t cap) : Pipeline("capped sink", nullptr), cap_(cap) {}
  void write(unsigned char const*, size_t len) override {
    seen_ += len;
    if (seen_ > cap_) {
      over_ = true;
      throw Over();
    }
  }
  void finish() override {}
  bool over() const { return over_; }

 private:
  std::uint64_t cap_;
  std::uint64_t seen_ = 0;
  bool over_ = false;
};

// Whether an object stream of `pdf` inflates past kMaxObjectStreamBytes;
// checked before anything resolves an object inside one.
bool object_stream_over_cap(QPDF& pdf) {
  std::set<int> streams;
  for (const auto& [og, entry] : pdf.getXRefTable()) {
    if (entry.getType() == 2) streams.insert(entry.getObjStreamNumber());
  }
  for (int n : streams) {
    auto s = pdf.getObjectByID(n, 0);
    if (!s.isStream()) continue;
    CappedSink sink(kMaxObjectStreamBytes);
    try {
      s.pipeStreamData(&sink, 0, qpdf_dl_generalized, true);
    } catch (const CappedSink::Over&) {
    }
    if (sink.over()) return true;  // also when qpdf caught Over itself
  }
  return false;
}

std::string random_id() {
  std::random_device rd;
  std::string id(16, '\0');
  for (auto& c : id) c = static_cast<char>(rd() & 0xff);
  return id;
}

}  // namespace

PdfResult clean_pdf_bytes(const std::uint8_t* data, std::size_t size) {
  PdfResult out;
  Labels removed;
  const auto not_cleaned = [](const char* reason) {
    PdfResult r;
    r.not_cleaned_reason = reason;
    return r;
  };
  try {
    QPDF pdf;
    auto logger = QPDFLogger::create();
    logger->setInfo(logger->discard());
    logger->setWarn(logger->discard());
    logger->setError(logger->discard());
    pdf.setLogger(logger);
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("upload", reinterpret_cast<const char*>(data), size);
    if (pdf.isEncrypted()) return not_cleaned("encrypted PDF");
    if (object_stream_over_cap(pdf)) {
      auto r = not_cleaned("PDF too large once unpacked");
      r.over_limit = true;
      return r;
    }

    auto trailer = pdf.getTrailer();
    if (trailer.hasKey("/Info")) {
      auto info = trailer.getKey("/Info");
      if (info.isDictionary()) {
        for (const auto& key : info.getKeys()) {
          if (key == "/Author") removed.add("author");
          else if (key == "/Creator" || key == "/Producer") removed.add("software");
          else if (key == "/CreationDate" || key == "/ModDate") removed.add("creation and modification times");
        }
      }
      trailer.removeKey("/Info");
      removed.add("document info");
    }
    PdfScrubber scrubber(removed);
    for (auto& obj : pdf.getAllObjects()) scrubber.scrub_indirect(obj);
    scrubber.scrub_indirect(pdf.getRoot());

    // QPDFWriter keeps the first half of an existing /ID (it names the
    // document across versions, linking this copy to the author's): a fresh
    // random one replaces it; the writer makes the second half.
    if (trailer.hasKey("/ID")) removed.add("document ID");
    trailer.replaceKey("/ID", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{
                                  QPDFObjectHandle::newString(random_id()),
                                  QPDFObjectHandle::newString(random_id())}));

    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.setStaticID(false);
    writer.setDeterministicID(false);
    writer.setLinearization(false);
    writer.write();
    const auto buffer = writer.getBufferSharedPointer();
    const auto* begin = buffer->getBuffer();
    out.bytes.assign(begin, begin + buffer->getSize());
  } catch (const std::bad_alloc&) {
    throw;  // the helper's limit, not damage: krasip-cleaner answers out of memory
  } catch (const std::exception&) {
    return not_cleaned("damaged PDF");
  }
  if (out.bytes.empty()) return not_cleaned("damaged PDF");
  out.cleaned = true;
  out.removed = std::move(removed).labels();
  return out;
}

}  // namespace krasip::cleaner
