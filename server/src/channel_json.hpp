#pragma once
#include <boost/json/object.hpp>

#include "krasip/storage/channel_store.hpp"

namespace krasip::server {

// A channel as the reporter sees it (GET /api/v1/intake): names, what it is
// for, and who reads, described by role as the agency wrote it. The
// administrators' view (routes_channels.cpp) adds the accounts to this.
inline boost::json::object public_channel_json(const storage::ChannelRow& c) {
  return {{"id", c.slug},
          {"name_th", c.name_th},
          {"name_en", c.name_en},
          {"description_th", c.description_th},
          {"description_en", c.description_en},
          {"readers_th", c.readers_th},
          {"readers_en", c.readers_en},
          {"identity_readers_th", c.identity_readers_th},
          {"identity_readers_en", c.identity_readers_en}};
}

}  // namespace krasip::server
