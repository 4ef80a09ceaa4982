#pragma once
#include <memory>

#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/router.hpp"

namespace krasip::server {

// One admitted Argon2id job (a login, a password change, a step-up); gives
// its place in the queue back when done (or when the job is dropped unrun,
// at shutdown).
class KdfSlot {
 public:
  explicit KdfSlot(AppServices& app) : app_(app) {}
  KdfSlot(const KdfSlot&) = delete;
  KdfSlot& operator=(const KdfSlot&) = delete;
  ~KdfSlot() { app_.kdf_queued.fetch_sub(1); }

 private:
  AppServices& app_;
};

// Takes a place in the bounded Argon2id queue, or answers 503 and returns null.
inline std::shared_ptr<KdfSlot> admit(AppServices& app, const Reply& reply) {
  if (app.kdf_queued.fetch_add(1) >= app.kdf_queue_limit) {
    app.kdf_queued.fetch_sub(1);
    auto res = error_response(http::status::service_unavailable, "server_busy",
                              "Too many logins are waiting; please try again in a few seconds.");
    res.set(http::field::retry_after, "5");
    reply(std::move(res));
    return nullptr;
  }
  return std::make_shared<KdfSlot>(app);
}

}  // namespace krasip::server
