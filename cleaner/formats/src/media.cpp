// Audio and video cleaning with libavformat: a remux without re-encoding
// from memory to memory. Only audio and video streams are carried over (no
// cover art, no data or subtitle streams: GPS tracks and timecodes live
// there), with their packets and codec parameters but none of the container
// or stream tags, and no chapters. The muxer runs with AVFMT_FLAG_BITEXACT,
// so it writes no encoder tag, no random IDs and (with no creation_time
// tag to copy) zero creation times.
//
// No decoder is opened unless the container leaves a stream's parameters
// unknown (then avformat_find_stream_info, with one thread). Syscalls beyond
// read/write/mmap: none of our own; libav allocates with posix_memalign
// (brk/mmap/munmap/mremap). Bitexact mode also keeps the Matroska muxer from
// reading /dev/urandom for a segment UID.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "krasip/cleaner/formats.hpp"
#include "removed_labels.hpp"

namespace krasip::cleaner {

namespace {

struct Container {
  std::string_view mime;
  const char* demuxer;
  const char* muxer;
};

constexpr std::array kContainers{
    Container{"audio/mpeg", "mp3", "mp3"},
    Container{"audio/mp4", "mov", "ipod"},
    Container{"audio/x-m4a", "mov", "ipod"},
    Container{"audio/ogg", "ogg", "ogg"},
    Container{"audio/wav", "wav", "wav"},
    Container{"audio/x-wav", "wav", "wav"},
    Container{"audio/vnd.wave", "wav", "wav"},
    Container{"audio/amr", "amr", "amr"},
    Container{"video/mp4", "mov", "mp4"},
    Container{"video/quicktime", "mov", "mov"},
    Container{"video/webm", "matroska", "webm"},
    Container{"audio/webm", "matroska", "webm"},
    Container{"video/3gpp", "mov", "3gp"},
    Container{"video/3gpp2", "mov", "3gp"},
    Container{"audio/3gpp", "mov", "3gp"},
};

constexpr int kIoBufferSize = 64 * 1024;

// --- memory I/O -------------------------------------------------------------

// libavformat's seek callback on a buffer of `size` bytes at `pos`: moves
// `pos` to a target in [0, max_pos] (the end of the data for reading, the
// output limit for writing), or answers the size.
std::int64_t seek_in(std::size_t& pos, std::size_t size, std::size_t max_pos, std::int64_t offset, int whence) {
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return static_cast<std::int64_t>(size);
  std::int64_t target;
  if (whence == SEEK_SET) target = offset;
  else if (whence == SEEK_CUR) target = static_cast<std::int64_t>(pos) + offset;
  else if (whence == SEEK_END) target = static_cast<std::int64_t>(size) + offset;
  else return AVERROR(EINVAL);
  if (target < 0 || static_cast<std::size_t>(target) > max_pos) return AVERROR(EINVAL);
  pos = static_cast<std::size_t>(target);
  return target;
}

struct MemoryReader {
  std::span<const std::uint8_t> data;
  std::size_t pos = 0;

  static int read(void* opaque, std::uint8_t* buf, int size) {
    auto* self = static_cast<MemoryReader*>(opaque);
    if (self->pos >= self->data.size()) return AVERROR_EOF;
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(size), self->data.size() - self->pos);
    std::memcpy(buf, self->data.data() + self->pos, n);
    self->pos += n;
    return static_cast<int>(n);
  }

  static std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
    auto* self = static_cast<MemoryReader*>(opaque);
    return seek_in(self->pos, self->data.size(), self->data.size(), offset, whence);
  }
};

// A growing buffer with a write position: MP4 and MOV seek back to fill in
// the size of the media data and Matroska its cues, so it must be seekable.
struct MemoryWriter {
  std::vector<std::uint8_t> data;
  std::size_t pos = 0;
  std::size_t limit = 0;  // a remux is never much larger than its input

  static int write(void* opaque, std::uint8_t* buf, int size) {
    auto* self = static_cast<MemoryWriter*>(opaque);
    if (size < 0) return AVERROR(EINVAL);
    const auto n = static_cast<std::size_t>(size);
    if (self->pos + n > self->limit) return AVERROR(ENOSPC);
    if (self->pos + n > self->data.size()) self->data.resize(self->pos + n);
    std::memcpy(self->data.data() + self->pos, buf, n);
    self->pos += n;
    return size;
  }

  static std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
    auto* self = static_cast<MemoryWriter*>(opaque);
    return seek_in(self->pos, self->data.size(), self->limit, offset, whence);
  }
};

struct IoDeleter {
  void operator()(AVIOContext* io) const {
    if (io == nullptr) return;
    av_freep(&io->buffer);  // avio may have replaced the buffer it was given
    avio_context_free(&io);
  }
};
using IoPtr = std::unique_ptr<AVIOContext, IoDeleter>;

IoPtr make_io(void* opaque, bool write) {
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) return nullptr;
  AVIOContext* io =
      write ? avio_alloc_context(buffer, kIoBufferSize, 1, opaque, nullptr, &MemoryWriter::write,
                                 &MemoryWriter::seek)
            : avio_alloc_context(buffer, kIoBufferSize, 0, opaque, &MemoryReader::read, nullptr,
                                 &MemoryReader::seek);
  if (io == nullptr) av_free(buffer);
  return IoPtr(io);
}

struct InputDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct OutputDeleter {
  void operator()(AVFormatContext* c) const { avformat_free_context(c); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

// --- what was there -----------------------------------------------------------

void label_tags(const AVDictionary* tags, Labels& removed) {
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(tags, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
    std::string key = e->key;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto has = [&](const char* s) { return key.find(s) != std::string::npos; };
    if (has("location") || has("xyz") || has("gps")) removed.add("GPS position");
    else if (has("make") || has("model")) removed.add("device make and model");
    else if (has("creation_time") || has("date")) removed.add("creation time");
    else if (has("artist") || has("author") || has("composer") || has("performer"))
      removed.add("author");
    else if (has("encoder") || has("software")) removed.add("software");
    else if (key == "handler_name" || key == "vendor_id" || key == "language" ||
             key == "major_brand" || key == "minor_version" || key == "compatible_brands")
      continue;  // container bookkeeping, rewritten by the muxer
    else removed.add("tags");
  }
}

bool is_adts(std::span<const std::uint8_t> in) {
  std::size_t at = 0;
  // Skip an ID3v2 tag (its size is four 7-bit bytes, plus a 10-byte footer if flagged).
  if (in.size() >= 10 && in[0] == 'I' && in[1] == 'D' && in[2] == '3') {
    const std::size_t size = (std::size_t(in[6] & 0x7f) << 21) | (std::size_t(in[7] & 0x7f) << 14) |
                             (std::size_t(in[8] & 0x7f) << 7) | std::size_t(in[9] & 0x7f);
    at = 10 + size + ((in[5] & 0x10) ? 10 : 0);
  }
  // MPEG audio frames have a non-zero layer; ADTS (AAC) has layer 00.
  return in.size() >= at + 2 && in[at] == 0xff && (in[at + 1] & 0xf6) == 0xf0;
}

bool is_carried(const AVStream* st) {
  const auto type = st->codecpar->codec_type;
  if (type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_VIDEO) return false;
  return (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0;
}

bool parameters_known(const AVStream* st) {
  const auto* p = st->codecpar;
  if (p->codec_id == AV_CODEC_ID_NONE) return false;
  if (p->codec_type == AVMEDIA_TYPE_VIDEO) return p->width > 0 && p->height > 0;
  return p->sample_rate > 0 && p->ch_layout.nb_channels > 0;
}

// Side data that only describes the packet's place in the stream is kept;
// anything that can carry strings (tags sent mid-stream) is dropped.
void drop_packet_tags(AVPacket* pkt) {
  int kept = 0;
  for (int i = 0; i < pkt->side_data_elems; ++i) {
    auto& sd = pkt->side_data[i];
    if (sd.type == AV_PKT_DATA_STRINGS_METADATA || sd.type == AV_PKT_DATA_METADATA_UPDATE) {
      av_freep(&sd.data);
    } else {
      pkt->side_data[kept++] = sd;
    }
  }
  pkt->side_data_elems = kept;
}

}  // namespace

Cleaned clean_media(std::span<const std::uint8_t> in, std::string_view mime) {
  av_log_set_level(AV_LOG_QUIET);  // libav would print stream details to stderr
  const auto* container = std::find_if(kContainers.begin(), kContainers.end(),
                                       [&](const Container& c) { return c.mime == mime; });
  if (container == kContainers.end()) return not_cleaned("unsupported audio or video type");
  const char* demuxer_name = container->demuxer;
  const char* muxer_name = container->muxer;
  // Debian's libmagic calls ADTS AAC audio/mpeg too.
  if (mime == "audio/mpeg" && is_adts(in)) {
    demuxer_name = "aac";
    muxer_name = "adts";
  }
  if (in.empty()) return not_cleaned("empty file");

  Labels removed;
  MemoryReader reader{in};
  IoPtr in_io = make_io(&reader, false);
  if (!in_io) return not_cleaned("out of memory");
  // The demuxer is chosen by the type libmagic found: no probing across
  // every format libavformat knows.
  const AVInputFormat* demuxer = av_find_input_format(demuxer_name);
  AVFormatContext* raw_in = avformat_alloc_context();
  if (raw_in == nullptr || demuxer == nullptr) {
    avformat_free_context(raw_in);
    return not_cleaned("unsupported audio or video type");
  }
  raw_in->pb = in_io.get();
  raw_in->flags |= AVFMT_FLAG_CUSTOM_IO;
  if (avformat_open_input(&raw_in, nullptr, demuxer, nullptr) < 0) {
    return not_cleaned("damaged or unrecognised audio/video file");  // raw_in freed on failure
  }
  std::unique_ptr<AVFormatContext, InputDeleter> input(raw_in);

  bool need_probe = false;
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    if (is_carried(input->streams[i]) && !parameters_known(input->streams[i])) need_probe = true;
  }
  if (need_probe) {
    std::vector<AVDictionary*> opts(input->nb_streams, nullptr);
    for (auto& o : opts) av_dict_set(&o, "threads", "1", 0);
    const int r = avformat_find_stream_info(input.get(), opts.data());
    for (auto& o : opts) av_dict_free(&o);
    if (r < 0) return not_cleaned("damaged or unrecognised audio/video file");
  }

  label_tags(input->metadata, removed);
  if (input->nb_chapters > 0) removed.add("chapters");

  AVFormatContext* raw_out = nullptr;
  if (avformat_alloc_output_context2(&raw_out, nullptr, muxer_name, nullptr) < 0 || !raw_out) {
    return not_cleaned("unsupported audio or video type");
  }
  std::unique_ptr<AVFormatContext, OutputDeleter> output(raw_out);

  std::vector<int> map(input->nb_streams, -1);
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream* ist = input->streams[i];
    label_tags(ist->metadata, removed);
    if (!is_carried(ist)) {
      if (ist->disposition & AV_DISPOSITION_ATTACHED_PIC) removed.add("cover art");
      else removed.add("data and subtitle streams");
      continue;
    }
    AVStream* ost = avformat_new_stream(output.get(), nullptr);
    if (ost == nullptr || avcodec_parameters_copy(ost->codecpar, ist->codecpar) < 0) {
      return not_cleaned("out of memory");
    }
    // Keep the input's codec tag only where the output muxer knows it for
    // this codec (as ffmpeg -c copy does); otherwise the muxer picks one.
    unsigned int tag = 0;
    if (!output->oformat->codec_tag ||
        av_codec_get_id(output->oformat->codec_tag, ist->codecpar->codec_tag) != ist->codecpar->codec_id ||
        !av_codec_get_tag2(output->oformat->codec_tag, ist->codecpar->codec_id, &tag)) {
      ost->codecpar->codec_tag = 0;
    }
    ost->time_base = ist->time_base;
    ost->disposition = ist->disposition & AV_DISPOSITION_DEFAULT;
    // The rotation of a phone video is not personal and is needed to show it upright.
    std::size_t matrix_size = 0;
    if (const auto* matrix = av_stream_get_side_data(ist, AV_PKT_DATA_DISPLAYMATRIX, &matrix_size)) {
      if (auto* copy = av_stream_new_side_data(ost, AV_PKT_DATA_DISPLAYMATRIX, matrix_size)) {
        std::memcpy(copy, matrix, matrix_size);
      }
    }
    map[i] = ost->index;
  }
  if (output->nb_streams == 0) return not_cleaned("no audio or video in the file");

  MemoryWriter writer;
  writer.limit = in.size() * 2 + (16u << 20);
  writer.data.reserve(in.size() + 4096);
  IoPtr out_io = make_io(&writer, true);
  if (!out_io) return not_cleaned("out of memory");
  output->pb = out_io.get();
  output->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_BITEXACT;
  if (avformat_write_header(output.get(), nullptr) < 0) {
    return not_cleaned("this audio/video cannot be written back to its own format");
  }

  std::unique_ptr<AVPacket, PacketDeleter> pkt(av_packet_alloc());
  if (!pkt) return not_cleaned("out of memory");
  std::int64_t packets = 0;
  for (;;) {
    const int r = av_read_frame(input.get(), pkt.get());
    if (r == AVERROR_EOF) break;
    if (r < 0) return not_cleaned("damaged audio/video file");
    const int target = pkt->stream_index >= 0 && static_cast<unsigned>(pkt->stream_index) < map.size()
                           ? map[static_cast<std::size_t>(pkt->stream_index)]
                           : -1;
    if (target < 0) {
      av_packet_unref(pkt.get());
      continue;
    }
    drop_packet_tags(pkt.get());
    av_packet_rescale_ts(pkt.get(), input->streams[pkt->stream_index]->time_base,
                         output->streams[target]->time_base);
    pkt->stream_index = target;
    pkt->pos = -1;
    if (av_interleaved_write_frame(output.get(), pkt.get()) < 0) {
      return not_cleaned("damaged audio/video file");
    }
    ++packets;
  }
  if (av_write_trailer(output.get()) < 0) return not_cleaned("damaged audio/video file");
  avio_flush(out_io.get());
  if (packets == 0 || writer.data.empty()) return not_cleaned("no audio or video in the file");

  Cleaned out;
  out.bytes = std::move(writer.data);
  out.cleaned = true;
  out.removed = std::move(removed).labels();
  return out;
}

}  // namespace krasip::cleaner
