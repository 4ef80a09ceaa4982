#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::cases {

// What an agency promises its reporters (issue 11): its own service
// standards and complaint categories, each falling back to the
// deployment's (`serve --ack-days` etc.; the built-in catalog) when unset.

Deadlines deadlines_of(const storage::AgencyRow& agency, const Deadlines& deployment);

// Categories are codes of the built-in catalog only (catalog.hpp): each has
// its Thai and English label there, and counts stay comparable between
// agencies and in a parent's view. `stored` is agencies.categories
// (comma-separated codes, NULL for all), in the order the agency chose.
std::vector<Label> categories_of(const std::optional<std::string>& stored);
bool offers_category(const std::optional<std::string>& stored, std::string_view code);

// For `krasipd agency add|edit`: throw CaseError (invalid_field) on a code
// not in the catalog, a repeat or an empty list; return the stored form.
std::string checked_categories(const std::vector<std::string>& codes);
// Days within 1..30 (acknowledge), 1..90 (reply), 1..365 (outcome), and
// in that order where more than one is set.
void check_deadline_days(const storage::AgencyRow& agency);

}  // namespace krasip::cases
