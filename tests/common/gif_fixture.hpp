#pragma once
// Test GIFs carrying identifying metadata the way editors write it: an XMP
// packet in an "XMP DataXMP" application extension (raw, with the 258-byte
// "magic trailer"), and a Comment extension. Exiv2 0.27 sees neither.
#include <string>

namespace krasip::test {

inline constexpr const char* kGifXmpAuthor = "GIF-XMP-AUTHOR-NAKHON";
inline constexpr const char* kGifComment = "GIF-COMMENT-CAMERA-7731";

// A 1x1 two-colour GIF89a; with `metadata`, XMP and a comment are added
// around the Graphic Control extension, and the looping extension is there.
inline std::string tiny_gif(bool metadata) {
  std::string g = "GIF89a";
  g += std::string("\x01\x00\x01\x00\x80\x00\x00", 7);                  // 1x1, 2-colour table
  g += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);                      // black, white
  g += std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 19);  // loop forever
  if (metadata) {
    g += std::string("\x21\xFF\x0B", 3) + "XMP DataXMP";
    g += "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
         "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
         "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator>" +
         std::string(kGifXmpAuthor) +
         "</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
    g += '\x01';
    for (int v = 0xFF; v >= 0; --v) g += static_cast<char>(v);
    g += '\x00';
    const std::string comment = kGifComment;
    g += std::string("\x21\xFE", 2) + static_cast<char>(comment.size()) + comment + '\x00';
  }
  g += std::string("\x21\xF9\x04\x00\x00\x00\x00\x00", 8);           // graphic control
  g += std::string("\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);  // image descriptor
  g += std::string("\x02\x02\x44\x01\x00", 5);                       // LZW data
  if (metadata) {
    g += std::string("\x21\x01\x0C", 3) + std::string(12, '\0') + "\x05PLAIN" + '\x00';
  }
  g += '\x3B';
  return g;
}

}  // namespace krasip::test
