// krasip-pack-pdf: prints the ITA evidence pack (the model of
// server/src/evidence_pack.hpp, JSON on stdin) as an A4 PDF on stdout, with
// pango (Thai shaping and line breaking through libthai) and cairo, in the
// Sarabun font shipped in web/fonts (the folder is argv[1]). krasipd starts
// it per request, so that krasipd itself links no font or image parser.
//
// The pack holds a picture someone uploaded (the agency's web page), which
// cairo's PNG decoder reads. So the fonts are loaded and a warm-up page is
// drawn first (every font file, the Thai dictionary and the caches are
// opened then), and only then does the process lock itself down (lock_down:
// no_new_privs and a seccomp allow-list that kills on anything else) and
// read its input. After that it can read stdin, write stdout, manage its
// memory and exit: no file opened, no socket, no process started, no signal
// to any other process.
//
// Exit status: 0 printed; 1 bad input or the PDF could not be made; 2 usage;
// 4 the lock-down could not be set up. Killed by SIGSYS: a system call
// outside the allow-list.
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <woff2/decode.h>
#include <woff2/output.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "krasip/sandbox/seccomp_filter.hpp"

#ifdef KRASIP_PACK_PDF_TEST_HOOKS
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#endif

namespace json = boost::json;

namespace {

constexpr double kPageW = 595.28, kPageH = 841.89;
constexpr double kLeft = 50, kRight = 50, kTop = 50, kBottom = 50;
constexpr double kWidth = kPageW - kLeft - kRight;

template <auto Fn>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Fn(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_destroy>>;
using Context = std::unique_ptr<cairo_t, Deleter<cairo_destroy>>;
using Layout = std::unique_ptr<PangoLayout, Deleter<g_object_unref>>;
using Font = std::unique_ptr<PangoFontDescription, Deleter<pango_font_description_free>>;

// Straight to fd 1 (no stdio, whose first write would fstat the fd).
cairo_status_t to_stdout(void*, const unsigned char* data, unsigned int length) {
  while (length > 0) {
    const ssize_t n = ::write(1, data, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return CAIRO_STATUS_WRITE_ERROR;
    data += n;
    length -= static_cast<unsigned int>(n);
  }
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t to_nowhere(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

// The whole of stdin, by read(2) on fd 0.
bool read_stdin(std::string& out) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    if (out.size() + static_cast<std::size_t>(n) > (64u << 20)) return false;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Every font the pack is printed in. warm_up() loads each before the
// lock-down: pango matches a font description (and a language) the first
// time it meets it, on a thread of its own, and no thread may be started
// after the lock-down. Page refuses any other font.
constexpr std::array<std::string_view, 8> kFonts{"Sarabun 9",       "Sarabun 10",      "Sarabun 11",
                                                 "Sarabun Bold 10", "Sarabun Bold 11", "Sarabun Bold 13",
                                                 "Sarabun Bold 14", "Sarabun Bold 16"};

// The characters the shipped Sarabun draws (Thai, Latin, punctuation). Any
// other is printed as "?": it would be a box anyway (no other font is
// loaded), and a script pango has not met would send it looking for a
// font on a new thread.
FcCharSet* g_drawable = nullptr;

std::string drawable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  const char* p = s.c_str();
  const char* end = p + s.size();
  while (p < end) {
    const gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == static_cast<gunichar>(-1) || c == static_cast<gunichar>(-2)) {
      out += '?';
      ++p;
      continue;
    }
    const char* next = g_utf8_next_char(p);
    if (c == '\n' || (g_drawable != nullptr && FcCharSetHasChar(g_drawable, c))) {
      out.append(p, next);
    } else {
      out += '?';
    }
    p = next;
  }
  return out;
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  void text(const std::string& s, const char* font, double indent = 0, double gap = 4,
            double r = 0.07, double g = 0.07, double b = 0.07) {
    if (s.empty()) return;
    auto layout = make(s, font, kWidth - indent, PANGO_ALIGN_LEFT);
    const double h = height(layout.get());
    room(h);
    cairo_set_source_rgb(cr_, r, g, b);
    cairo_move_to(cr_, kLeft + indent, y_);
    pango_cairo_show_layout(cr_, layout.get());
    y_ += h + gap;
  }
  void english(const std::string& s, double indent = 0) { text(s, "Sarabun 9", indent, 5, 0.25, 0.25, 0.25); }

  void heading(const std::string& th, const std::string& en, const char* font = "Sarabun Bold 14") {
    y_ += 8;
    room(60);  // a heading does not end a page
    text(th, font, 0, 1);
    english(en);
  }

  void row(const std::string& th, const std::string& en, const std::string& value) {
    auto label = make(th + "\n" + en, "Sarabun 10", kWidth - 110, PANGO_ALIGN_LEFT);
    auto number = make(value, "Sarabun Bold 10", 100, PANGO_ALIGN_RIGHT);
    const double h = std::max(height(label.get()), height(number.get())) + 4;
    room(h);
    cairo_set_source_rgb(cr_, 0.07, 0.07, 0.07);
    cairo_move_to(cr_, kLeft + 4, y_ + 2);
    pango_cairo_show_layout(cr_, label.get());
    cairo_move_to(cr_, kLeft + kWidth - 104, y_ + 2);
    pango_cairo_show_layout(cr_, number.get());
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kLeft, y_ + h);
    cairo_line_to(cr_, kLeft + kWidth, y_ + h);
    cairo_stroke(cr_);
    y_ += h;
  }

  void gap(double g) { y_ += g; }

  void image(cairo_surface_t* img, double w, double h) {
    const double scale = std::min({kWidth / w, 320.0 / h, 1.0});
    room(h * scale + 6);
    cairo_save(cr_);
    cairo_translate(cr_, kLeft, y_);
    cairo_scale(cr_, scale, scale);
    cairo_set_source_surface(cr_, img, 0, 0);
    cairo_paint(cr_);
    cairo_restore(cr_);
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_rectangle(cr_, kLeft, y_, w * scale, h * scale);
    cairo_stroke(cr_);
    y_ += h * scale + 6;
  }

 private:
  Layout make(const std::string& text, const char* font, double width, PangoAlignment align) {
    if (std::find(kFonts.begin(), kFonts.end(), std::string_view(font)) == kFonts.end()) {
      std::fputs("krasip-pack-pdf: a font not in kFonts\n", stderr);
      std::exit(1);
    }
    const std::string s = drawable(text);
    Layout layout(pango_cairo_create_layout(cr_));
    Font desc(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_text(layout.get(), s.c_str(), static_cast<int>(s.size()));
    return layout;
  }
  static double height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void room(double h) {
    if (y_ + h > kPageH - kBottom && y_ > kTop) {
      cairo_show_page(cr_);
      y_ = kTop;
    }
  }
  cairo_t* cr_;
  double y_ = kTop;
};

std::vector<unsigned char> from_base64(const std::string& s) {
  gsize n = 0;
  guchar* d = g_base64_decode(s.c_str(), &n);
  std::vector<unsigned char> out(d, d + n);
  g_free(d);
  return out;
}

struct Reader {
  const std::vector<unsigned char>* data;
  std::size_t at = 0;
};
cairo_status_t read_png(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->data->size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(r->data->begin() + static_cast<std::ptrdiff_t>(r->at), length, out);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// Width and height from a JPEG's start-of-frame marker; the PDF embeds the
// JPEG as it is (cairo's mime data), so nothing decodes it here.
bool jpeg_size(const std::vector<unsigned char>& d, int& w, int& h) {
  std::size_t i = 2;
  while (i + 9 < d.size()) {
    if (d[i] != 0xFF) return false;
    const unsigned char m = d[i + 1];
    const std::size_t len = (d[i + 2] << 8) | d[i + 3];
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      h = (d[i + 5] << 8) | d[i + 6];
      w = (d[i + 7] << 8) | d[i + 8];
      return w > 0 && h > 0;
    }
    i += 2 + len;
  }
  return false;
}

#ifdef KRASIP_PACK_PDF_TEST_HOOKS
// Only in the test build (krasip-pack-pdf-test): a picture that makes it act
// like a decoder taken over by a crafted file, after the lock-down, so that
// the tests see the filter stop it and krasipd go on.
void test_hooks(const std::vector<unsigned char>& picture) {
  const auto has = [&](std::string_view s) {
    return std::search(picture.begin(), picture.end(), s.begin(), s.end()) != picture.end();
  };
  if (has("KRASIP-PDF-TEST-KILL-PARENT")) ::kill(::getppid(), SIGKILL);
  if (has("KRASIP-PDF-TEST-TGKILL-PARENT")) ::syscall(SYS_tgkill, ::getppid(), ::getppid(), SIGKILL);
  if (has("KRASIP-PDF-TEST-OPEN")) {
    const int fd = ::open("/etc/passwd", O_RDONLY);
    if (fd >= 0) ::close(fd);  // not killed: the pack is made, and the test sees it was
  }
}
#endif

void picture(Page& page, const json::object& pic) {
  auto bytes = std::make_shared<std::vector<unsigned char>>(from_base64(str(pic, "data")));
#ifdef KRASIP_PACK_PDF_TEST_HOOKS
  test_hooks(*bytes);
#endif
  Surface img;
  if (str(pic, "mime") == "image/png") {
    Reader r{bytes.get()};
    img.reset(cairo_image_surface_create_from_png_stream(read_png, &r));
  } else {
    int w = 0, h = 0;
    if (!jpeg_size(*bytes, w, h) || w > 10000 || h > 10000) return;
    img.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
    auto* keep = new std::shared_ptr<std::vector<unsigned char>>(bytes);
    cairo_surface_set_mime_data(img.get(), CAIRO_MIME_TYPE_JPEG, (*keep)->data(), (*keep)->size(),
                                [](void* p) { delete static_cast<std::shared_ptr<std::vector<unsigned char>>*>(p); },
                                keep);
  }
  if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS) return;
  page.image(img.get(), cairo_image_surface_get_width(img.get()), cairo_image_surface_get_height(img.get()));
}

// Pango refuses WOFF files (it gets no glyphs from them), and the shipped
// Sarabun is WOFF2 (web/fonts): each file is decoded to TrueType into an
// anonymous memory file that fontconfig opens by its /proc path. Nothing
// is written to disk. The fds stay open until the process ends.
bool add_woff2_fonts(FcConfig* config, const std::filesystem::path& dir) {
  bool any = false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".woff2") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string woff{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto* data = reinterpret_cast<const std::uint8_t*>(woff.data());
    std::string ttf(std::min(woff2::ComputeWOFF2FinalSize(data, woff.size()), woff2::kDefaultMaxSize), '\0');
    woff2::WOFF2StringOut out(&ttf);
    if (!woff2::ConvertWOFF2ToTTF(data, woff.size(), &out)) continue;
    ttf.resize(out.Size());
    const int fd = memfd_create("krasip-font", 0);
    if (fd < 0 || ::write(fd, ttf.data(), ttf.size()) != static_cast<ssize_t>(ttf.size())) continue;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    any = FcConfigAppFontAddFile(config, reinterpret_cast<const FcChar8*>(path.c_str())) || any;
  }
  return any;
}

// Draws, into a PDF that goes nowhere, Thai and Latin text in each weight
// and size the pack uses and a PNG: every font file (FreeType and HarfBuzz
// open them by path), libthai's dictionary and the caches are loaded while
// files may still be opened.
void warm_up() {
  Surface surface(cairo_pdf_surface_create_for_stream(to_nowhere, nullptr, kPageW, kPageH));
  Context cr(cairo_create(surface.get()));
  Page page(cr.get());
  const std::string sample = "ข้อความทดสอบภาษาไทย ๑๒๓ สำนักงานปลัด Latin 0123 • — “ÄÖ” ✓";
  for (const auto font : kFonts) page.text(sample, std::string(font).c_str());
  page.row(sample, sample, "1,234");
  // A 1x1 PNG: libpng's and zlib's first use.
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
      0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
      0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05,
      0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
      0x60, 0x82};
  const std::vector<unsigned char> png(std::begin(kPng), std::end(kPng));
  Reader r{&png};
  Surface img(cairo_image_surface_create_from_png_stream(read_png, &r));
  if (cairo_surface_status(img.get()) == CAIRO_STATUS_SUCCESS) page.image(img.get(), 1, 1);
  cr.reset();
  cairo_surface_finish(surface.get());
}

// After warm_up(): from here on the process reads fd 0, writes fds 1 and 2,
// manages its memory and exits. Sanitizer builds stop after no_new_privs,
// as krasip-cleaner's do (their runtimes open /proc files and start
// threads; see the top CMakeLists.txt).
void lock_down() {
  using krasip::sandbox::setup_failed;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) setup_failed("PR_SET_NO_NEW_PRIVS\n");
#ifdef KRASIP_SANITIZER_BUILD
  return;
#endif
  krasip::sandbox::SeccompFilter f;
  f.allow_on_fd(SCMP_SYS(read), 0);
  f.allow_on_fd(SCMP_SYS(write), 1);
  f.allow_on_fd(SCMP_SYS(write), 2);
  // Memory (mmap of a new anonymous mapping or of a font file opened
  // during the warm-up; nothing can be opened to map).
  for (int s : {SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(madvise),
                SCMP_SYS(mprotect)}) {
    f.allow(s);
  }
  // glib's and cairo's locks, time, and the ways out.
  for (int s : {SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(exit), SCMP_SYS(exit_group),
                SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid), SCMP_SYS(gettid)}) {
    f.allow(s);
  }
  f.allow_signals_to_self();
  f.load();
}

}  // namespace

int main(int argc, char** argv) {
  const rlimit mem{1024UL << 20, 1024UL << 20}, cpu{20, 20}, core{0, 0};
  // No core file; bounded memory and CPU: the input is the server's own,
  // but a picture is a file someone uploaded.
#ifndef KRASIP_SANITIZER_BUILD  // ASan and TSan reserve terabytes of address space (see the top CMakeLists.txt)
  setrlimit(RLIMIT_AS, &mem);
#else
  (void)mem;
#endif
  setrlimit(RLIMIT_CPU, &cpu);
  setrlimit(RLIMIT_CORE, &core);
  if (argc != 2) {
    std::fputs("usage: krasip-pack-pdf FONTS_DIR < pack.json > pack.pdf\n", stderr);
    return 2;
  }
  // The PDF's creation date is local time: with TZ unset, every localtime()
  // would stat /etc/localtime; with TZ set, glibc reads the zone once (in the
  // warm-up) and never again. Bangkok's offset, which has no summer time.
  ::setenv("TZ", "ICT-7", 1);
  // Our own fontconfig configuration holding only the shipped Sarabun: no
  // system font is ever a fallback, so no font file is opened after the
  // warm-up (a character Sarabun lacks prints as "?", see drawable()).
  FcConfig* fonts = FcConfigCreate();
  if (fonts == nullptr || !add_woff2_fonts(fonts, argv[1])) return 1;
  g_drawable = FcCharSetCreate();
  if (FcFontSet* set = FcConfigGetFonts(fonts, FcSetApplication)) {
    for (int i = 0; i < set->nfont; ++i) {
      FcCharSet* chars = nullptr;
      if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &chars) == FcResultMatch) FcCharSetMerge(g_drawable, chars, nullptr);
    }
  }
  PangoFontMap* font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (font_map == nullptr) return 1;
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map), fonts);
  pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(font_map));
  warm_up();
  lock_down();

  std::string input;
  if (!read_stdin(input)) return 1;
  boost::system::error_code ec;
  const auto v = json::parse(input, ec);
  if (ec || !v.is_object()) return 1;
  const auto& p = v.as_object();

  Surface surface(cairo_pdf_surface_create_for_stream(to_stdout, nullptr, kPageW, kPageH));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 (str(p, "title_th") + " — " + str(p, "agency_th")).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Krasip");
  Context cr(cairo_create(surface.get()));
  Page page(cr.get());

  page.text(str(p, "title_th"), "Sarabun Bold 16", 0, 2);
  page.english(str(p, "title_en"));
  page.text(str(p, "agency_th"), "Sarabun Bold 13", 0, 1);
  page.english(str(p, "agency_en"));
  page.text(str(p, "period_th"), "Sarabun 11", 0, 1);
  page.english(str(p, "period_en"));
  page.text(str(p, "generated_th"), "Sarabun 11", 0, 1);
  page.english(str(p, "generated_en"));

  const auto& a = p.at("address").as_object();
  page.heading("1. ช่องทางร้องเรียน", "The complaint channel");
  page.text("ที่อยู่สำหรับแจ้งเรื่อง (address for complaints): " + str(a, "report_url"), "Sarabun 10");
  page.text("มาตรการคุ้มครอง (protection measures): " + str(a, "measures_url"), "Sarabun 10");
  page.text("สถิติ (statistics): " + str(a, "stats_url"), "Sarabun 10");
  if (const auto* pic = p.if_contains("picture"); pic != nullptr && pic->is_object()) {
    picture(page, pic->as_object());
    page.text("ภาพหน้าเว็บไซต์ของหน่วยงาน " + str(pic->as_object(), "page_url") + " " +
                  str(pic->as_object(), "uploaded_th"),
              "Sarabun 9");
  } else {
    page.text("ยังไม่มีภาพหน้าเว็บไซต์ของหน่วยงาน", "Sarabun 10", 0, 1);
    page.english("No picture of the agency's web page has been uploaded yet.");
  }

  page.heading("2. มาตรการคุ้มครองผู้ร้องเรียน", "Protection measures");
  for (const auto& sv : p.at("measures").as_array()) {
    const auto& s = sv.as_object();
    page.heading(str(s, "heading_th"), str(s, "heading_en"), "Sarabun Bold 11");
    for (const auto& pv : s.at("points").as_array()) {
      page.text("• " + str(pv.as_object(), "th"), "Sarabun 10", 8, 1);
      page.english(str(pv.as_object(), "en"), 16);
    }
  }

  page.heading("3. สถิติ", "Statistics");
  for (const auto& tv : p.at("tables").as_array()) {
    const auto& t = tv.as_object();
    page.heading(str(t, "title_th"), str(t, "title_en"), "Sarabun Bold 11");
    for (const auto& rv : t.at("rows").as_array()) {
      const auto& r = rv.as_object();
      page.row(str(r, "th"), str(r, "en"), str(r, "value"));
    }
    page.gap(4);
    page.text(str(t, "note_th"), "Sarabun 9", 0, 1);
    page.english(str(t, "note_en"));
  }

  const auto& au = p.at("audit").as_object();
  page.heading("4. บันทึกการตรวจสอบ", "Audit log");
  page.text(str(au, "text_th"), "Sarabun 10", 0, 1);
  page.english(str(au, "text_en"));
  page.text("ค่าแฮชล่าสุด (head hash):", "Sarabun 10", 0, 1);
  page.text(str(au, "published_form"), "Sarabun 9");
  if (const auto* ch = p.if_contains("changes")) {
    const auto& c = ch->as_object();
    page.gap(4);
    page.text(str(c, "text_th"), "Sarabun 10", 0, 1);
    page.english(str(c, "text_en"));
  }

  cr.reset();
  cairo_surface_finish(surface.get());
  const bool ok = cairo_surface_status(surface.get()) == CAIRO_STATUS_SUCCESS;
  surface.reset();
  return ok ? 0 : 1;
}
