#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "krasip/server/multipart_parser.hpp"

using krasip::server::MultipartParser;
using krasip::server::multipart_boundary;
using krasip::server::PartHeaders;
using Error = MultipartParser::Error;

namespace {

struct Part {
  PartHeaders headers;
  std::string data;
  bool ended = false;
};

struct Collector {
  std::vector<Part> parts;
  MultipartParser::Callbacks callbacks() {
    return {[this](const PartHeaders& h) { parts.push_back({h, {}, false}); },
            [this](std::string_view d) { parts.back().data.append(d); },
            [this] { parts.back().ended = true; }};
  }
};

const std::string kBoundary = "----KrasipBoundary7MA4YWxk";

std::string body(const std::string& file_bytes) {
  return "--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n"
         "1234567-8901234-5678901\r\n--" +
         kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"รูป \\\"1\\\".jpg\"\r\n"
         "Content-Type: image/jpeg\r\n\r\n" +
         file_bytes + "\r\n--" + kBoundary + "--\r\n";
}

// File bytes that look like the delimiter's beginning, CRLFs and dashes.
const std::string kTricky = std::string("\r\n--") + "----KrasipBound" + "\r\n\r\n--\r" +
                            std::string(1000, 'x') + "\r\n-" + std::string(3, '\0') + "end";

}  // namespace

TEST_CASE("multipart: a form parses the same whatever the chunk sizes") {
  const std::string whole = body(kTricky);
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                           std::size_t{31}, std::size_t{64}, whole.size()}) {
    CAPTURE(step);
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    for (std::size_t i = 0; i < whole.size(); i += step) {
      REQUIRE(p.feed(std::string_view(whole).substr(i, step)) == Error::none);
    }
    CHECK(p.finish() == Error::none);
    CHECK(p.done());
    REQUIRE(c.parts.size() == 2);
    CHECK(c.parts[0].headers.name == "tracking_code");
    CHECK(c.parts[0].data == "1234567-8901234-5678901");
    CHECK(c.parts[0].ended);
    CHECK(c.parts[1].headers.name == "file");
    CHECK(c.parts[1].headers.filename.value() == "รูป \"1\".jpg");
    CHECK(c.parts[1].headers.content_type == "image/jpeg");
    CHECK(c.parts[1].data == kTricky);
    CHECK(c.parts[1].ended);
  }
}

TEST_CASE("multipart: preamble and epilogue are ignored; a body without final boundary fails") {
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    CHECK(p.feed("preamble text\r\n" + body("abc") + "epilogue") == Error::none);
    CHECK(p.finish() == Error::none);
    REQUIRE(c.parts.size() == 2);
    CHECK(c.parts[1].data == "abc");
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    std::string cut = body("abcdef");
    cut.resize(cut.size() - kBoundary.size() - 10);  // the closing delimiter never comes
    CHECK(p.feed(cut) == Error::none);
    CHECK(p.finish() == Error::missing_final_boundary);
    REQUIRE(c.parts.size() == 2);
    CHECK_FALSE(c.parts[1].ended);
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    CHECK(p.feed("no boundary here at all") == Error::none);
    CHECK(p.finish() == Error::missing_final_boundary);
    CHECK(c.parts.empty());
  }
}

TEST_CASE("multipart: oversize part headers, bad headers and too many parts are refused") {
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks(), 256);
    const std::string big = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Pad: " +
                            std::string(300, 'a');
    // Fed in small pieces: refused as soon as the limit is passed, not at the end.
    Error e = Error::none;
    for (std::size_t i = 0; i < big.size() && e == Error::none; i += 16) {
      e = p.feed(std::string_view(big).substr(i, 16));
    }
    CHECK(e == Error::header_too_large);
    CHECK(p.feed("more") == Error::header_too_large);  // stays failed
    CHECK(c.parts.empty());
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    CHECK(p.feed("--" + kBoundary + "\r\nNo-Colon-Here\r\n\r\ndata") == Error::malformed);
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    CHECK(p.feed("--" + kBoundary + "\r\nContent-Type: text/plain\r\n\r\ndata") == Error::malformed);
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    CHECK(p.feed("--" + kBoundary + "garbage\r\n") == Error::malformed);
  }
  {
    Collector c;
    MultipartParser p(kBoundary, c.callbacks(), 4096, 2);
    std::string three;
    for (int i = 0; i < 3; ++i) {
      three += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nx\r\n";
    }
    CHECK(p.feed(three) == Error::too_many_parts);
  }
}

TEST_CASE("multipart: a callback that throws stops the parse (e.g. a wrong tracking code)") {
  int file_bytes = 0;
  MultipartParser p(kBoundary,
                    {[](const PartHeaders&) {},
                     [&](std::string_view d) { file_bytes += static_cast<int>(d.size()); },
                     [] { throw std::runtime_error("unknown code"); }});
  CHECK_THROWS(p.feed(body(std::string(5000, 'z'))));
  CHECK(file_bytes == 23);  // only the code's bytes were taken
}

TEST_CASE("multipart: the boundary comes from the Content-Type") {
  CHECK(multipart_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"") == "a b:c");
  CHECK(multipart_boundary("multipart/form-data; charset=utf-8; boundary=xyz") == "xyz");
  CHECK_FALSE(multipart_boundary("application/json"));
  CHECK_FALSE(multipart_boundary("multipart/form-data"));
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary="));
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  CHECK_FALSE(multipart_boundary("multipart/mixed; boundary=abc"));
}

// Found by fuzz_multipart: padding after a delimiter was only measured when it
// arrived in pieces, so a long run of tabs passed in one chunk and failed in many.
TEST_CASE("multipart: overlong transport padding is refused however the body is split") {
  const std::string padded = "--" + kBoundary + std::string(100, '\t') +
                             "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" +
                             kBoundary + "--\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{5}, padded.size()}) {
    CAPTURE(step);
    Collector c;
    MultipartParser p(kBoundary, c.callbacks());
    Error e = Error::none;
    for (std::size_t i = 0; i < padded.size() && e == Error::none; i += step) {
      e = p.feed(std::string_view(padded).substr(i, step));
    }
    CHECK(e == Error::malformed);
    CHECK(c.parts.empty());
  }
  // A little padding, as RFC 2046 allows, is still fine.
  const std::string ok = "--" + kBoundary + " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" +
                         kBoundary + "--\r\n";
  Collector c;
  MultipartParser p(kBoundary, c.callbacks());
  CHECK(p.feed(ok) == Error::none);
  CHECK(p.finish() == Error::none);
  REQUIRE(c.parts.size() == 1);
  CHECK(c.parts[0].data == "x");
}
