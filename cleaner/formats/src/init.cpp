#include <libxml/parser.h>

#include <cstdlib>
#include <ctime>

extern "C" {
#include <libavutil/log.h>
}

#include "krasip/cleaner/formats.hpp"

namespace krasip::cleaner {

// Called by krasip-cleaner before its seccomp filter is installed: what
// these libraries set up lazily on first use is set up here instead.
void init_formats() {
  // libzip and libavformat convert times (entry dates, creation times)
  // with localtime/mktime, which would open /etc/localtime under the
  // filter: a POSIX zone string is parsed without reading any file, and
  // keeps the server's zone out of what is written.
  ::setenv("TZ", "UTC0", 1);
  ::tzset();
  xmlInitParser();
  av_log_set_level(AV_LOG_QUIET);
}

}  // namespace krasip::cleaner
