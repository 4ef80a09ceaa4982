#include "krasip/cases/accounts/session_store.hpp"

#include <sodium.h>

#include <algorithm>

#include "krasip/crypto/encoding.hpp"

namespace krasip::cases {

namespace {
std::string random_token() {
  const auto bytes = crypto::random_bytes(32);
  std::string out(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.pop_back();
  return out;
}
}  // namespace

std::string SessionStore::key_of(const std::string& token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(h), sizeof h);
}

std::string SessionStore::create(Session session, std::int64_t now) {
  session.created_at = now;
  session.last_seen = now;
  session.csrf_token = random_token();
  const std::string token = random_token();
  std::lock_guard lock(mutex_);
  sessions_[key_of(token)] = Entry{std::make_shared<Session>(std::move(session))};
  return token;
}

std::shared_ptr<const Session> SessionStore::find(const std::string& token, std::int64_t now) {
  if (token.empty() || token.size() > 128) return nullptr;
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(key_of(token));
  if (it == sessions_.end()) return nullptr;
  Session& s = *it->second.session;
  if (now - s.last_seen > limits_.idle_seconds || now - s.created_at > limits_.absolute_seconds) {
    sessions_.erase(it);  // the key pair is wiped when the last holder lets go
    return nullptr;
  }
  s.last_seen = now;
  return it->second.session;
}

bool SessionStore::check_csrf(const Session& s, const std::string& presented) const {
  if (presented.size() != s.csrf_token.size() || presented.empty()) return false;
  return sodium_memcmp(presented.data(), s.csrf_token.data(), presented.size()) == 0;
}

void SessionStore::remove(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(key_of(token));
}

std::size_t SessionStore::remove_user(std::int64_t user_id, std::int64_t current_key_id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& kv) {
    return kv.second.session->user_id == user_id && kv.second.session->key_id != current_key_id;
  });
}

std::vector<std::pair<std::int64_t, std::int64_t>> SessionStore::accounts() {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& kv : sessions_) out.emplace_back(kv.second.session->user_id, kv.second.session->key_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t SessionStore::sweep(std::int64_t now) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& kv) {
    const Session& s = *kv.second.session;
    return now - s.last_seen > limits_.idle_seconds || now - s.created_at > limits_.absolute_seconds;
  });
}

std::size_t SessionStore::size() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace krasip::cases
