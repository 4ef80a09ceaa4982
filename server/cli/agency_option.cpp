#include "agency_option.hpp"

#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "options.hpp"

namespace krasip::cli {

storage::AgencyRow agency_option(storage::Database& db, const std::optional<std::string>& slug) {
  const auto all = storage::key_store::list_agencies(db);
  std::string slugs;
  for (const auto& a : all) slugs += (slugs.empty() ? "" : ", ") + a.slug;
  if (!slug) {
    if (all.size() == 1) return all.front();
    throw UsageError("this deployment has several agencies; name one with --agency (" + slugs + ")");
  }
  for (const auto& a : all) {
    // Before schema 10 the one agency has no slug yet: any --agency is it.
    if (a.slug == *slug || (all.size() == 1 && a.slug.empty())) return a;
  }
  throw UsageError("no agency '" + *slug + "' in this deployment (" + slugs + ")");
}

}  // namespace krasip::cli
