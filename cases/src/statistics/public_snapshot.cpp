#include "krasip/cases/statistics/public_snapshot.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

namespace json = boost::json;
namespace pss = storage::public_stats_store;

namespace {
constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

std::string_view period_name(StatsPeriod p) { return p == StatsPeriod::week ? "week" : "month"; }

std::optional<StatsPeriod> parse_period(std::string_view text) {
  if (text == "month") return StatsPeriod::month;
  if (text == "week") return StatsPeriod::week;
  return std::nullopt;
}

std::int64_t completed_before(std::int64_t now, StatsPeriod p) {
  const std::int64_t day = floor_div(now + kBangkokOffsetSeconds, kDay);  // days since 1970-01-01 (a Thursday)
  std::int64_t first;
  if (p == StatsPeriod::week) {
    first = day - ((day + 3) % 7 + 7) % 7;  // back to Monday
  } else {
    const auto d = bangkok_date(now);
    first = days_from_civil({d.year, d.month, 1});
  }
  return first * kDay - kBangkokOffsetSeconds;
}

std::vector<Published> withhold_small(const std::vector<std::int64_t>& cells, bool total_published,
                                      std::int64_t minimum) {
  std::vector<Published> out(cells.begin(), cells.end());
  if (!total_published) {
    std::fill(out.begin(), out.end(), std::nullopt);
    return out;
  }
  std::int64_t sum = 0;
  std::int64_t withheld = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i] > 0 && cells[i] < minimum) {
      out[i] = std::nullopt;
      sum += cells[i];
      ++withheld;
    }
  }
  // From the total and the published cells, the withheld ones add up to
  // `sum`, each at least 1 (zeros are published): each lies between 1 and
  // sum - (withheld - 1). Withhold more until that spans 1 .. minimum-1.
  while (withheld > 0 && (withheld < 2 || sum - (withheld - 1) < minimum - 1)) {
    std::optional<std::size_t> smallest;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (out[i] && cells[i] > 0 && (!smallest || cells[i] < cells[*smallest])) smallest = i;
    }
    if (!smallest) {
      // Every non-zero cell is withheld and they still pin each other down
      // (five cases in five categories, one each): withhold the zeros too,
      // so nothing tells which cells hold the cases.
      std::fill(out.begin(), out.end(), std::nullopt);
      break;
    }
    out[*smallest] = std::nullopt;
    sum += cells[*smallest];
    ++withheld;
  }
  return out;
}

namespace {

std::optional<double> median(std::vector<std::int64_t> v, std::int64_t minimum) {
  if (static_cast<std::int64_t>(v.size()) < minimum) return std::nullopt;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? static_cast<double>(v[n / 2]) : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::optional<double> percent(std::int64_t part, std::int64_t base, std::int64_t minimum) {
  if (base < minimum) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(base)) / 10.0;
}

// A count behind a service figure: published with its figure only.
Published from_minimum(std::int64_t n, std::int64_t base, std::int64_t minimum) {
  return base >= minimum ? Published(n) : std::nullopt;
}

// Cells keyed by name, in a given order, withheld as one table.
std::vector<std::pair<std::string, Published>> table(const std::vector<std::string>& keys,
                                                     const std::map<std::string, std::int64_t>& counts,
                                                     bool total_published, std::int64_t minimum) {
  std::vector<std::int64_t> cells;
  for (const auto& k : keys) cells.push_back(counts.contains(k) ? counts.at(k) : 0);
  const auto shown = withhold_small(cells, total_published, minimum);
  std::vector<std::pair<std::string, Published>> out;
  for (std::size_t i = 0; i < keys.size(); ++i) out.emplace_back(keys[i], shown[i]);
  return out;
}

}  // namespace

PublicSnapshot publish(const PublicTally& t, std::int64_t minimum) {
  PublicSnapshot s;
  s.fiscal_year = t.fiscal_year;
  s.period = t.period;
  s.published_on = iso_date_bangkok(t.published_at);
  const auto fy_start = fiscal_year_start(t.fiscal_year);
  const auto end = std::min(t.completed_before, fiscal_year_start(t.fiscal_year + 1));
  if (end > fy_start) s.through = iso_date_bangkok(end - kDay);
  s.deadlines = t.deadlines;

  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_category, by_source, by_status, by_channel;
  std::map<int, std::int64_t> by_month;
  std::map<std::int64_t, std::string> channel_slug;
  for (const auto& c : t.channels) channel_slug[c.id] = c.slug;
  std::vector<std::string> category_keys;
  for (const auto& c : t.categories) category_keys.emplace_back(c.id);
  for (const auto& cell : t.cells) {
    if (cell.n <= 0) continue;
    total += cell.n;
    by_category[cell.category] += cell.n;
    by_source[cell.source] += cell.n;
    by_status[cell.status] += cell.n;
    by_month[cell.month] += cell.n;
    by_channel[channel_slug.contains(cell.channel_id) ? channel_slug[cell.channel_id] : ""] += cell.n;
    // A category the agency has since stopped offering is still counted.
    if (std::find(category_keys.begin(), category_keys.end(), cell.category) == category_keys.end()) {
      category_keys.push_back(cell.category);
    }
  }
  const bool total_published = total == 0 || total >= minimum;
  s.received = total_published ? Published(total) : std::nullopt;

  s.by_category = table(category_keys, by_category, total_published, minimum);
  std::vector<std::string> source_keys;
  for (const auto& src : complaint_sources()) source_keys.emplace_back(src.id);
  s.by_source = table(source_keys, by_source, total_published, minimum);

  // In progress and each outcome are one table adding up to the total;
  // completed is what the total leaves, so it is shown only with in_progress.
  std::vector<std::string> status_keys{"*in_progress"};
  std::int64_t in_progress = 0;
  for (const auto& [k, n] : by_status) {
    if (!is_final_status(k)) in_progress += n;
  }
  std::map<std::string, std::int64_t> status_cells{{"*in_progress", in_progress}};
  for (const auto& st : statuses()) {
    if (!is_final_status(st.id)) continue;
    status_keys.emplace_back(st.id);
    status_cells[std::string(st.id)] = by_status.contains(std::string(st.id)) ? by_status.at(std::string(st.id)) : 0;
  }
  auto status_table = table(status_keys, status_cells, total_published, minimum);
  s.in_progress = status_table.front().second;
  s.completed = s.in_progress && s.received ? Published(*s.received - *s.in_progress) : std::nullopt;
  s.outcomes.assign(status_table.begin() + 1, status_table.end());

  std::vector<std::string> month_keys;
  for (int i = 0; i < 12; ++i) month_keys.push_back(std::to_string((9 + i) % 12 + 1));  // 10, 11, 12, 1, ...
  std::map<std::string, std::int64_t> month_cells;
  for (const auto& [m, n] : by_month) month_cells[std::to_string(m)] = n;
  const auto months = table(month_keys, month_cells, total_published, minimum);
  for (const auto& [k, v] : months) {
    const int month = std::stoi(k);
    s.by_month.push_back({month >= 10 ? t.fiscal_year - 1 : t.fiscal_year, month, v});
  }

  std::vector<std::string> channel_keys;
  for (const auto& c : t.channels) channel_keys.push_back(c.slug);
  const auto channels = table(channel_keys, by_channel, total_published, minimum);
  for (std::size_t i = 0; i < t.channels.size(); ++i) {
    s.by_channel.push_back({t.channels[i].slug, t.channels[i].name_th, t.channels[i].name_en, channels[i].second});
  }

  // Service figures as they stood at the roll: an acknowledgement, reply or
  // outcome of the roll's day (or later) is not in them yet.
  std::vector<std::int64_t> to_ack, to_outcome;
  std::int64_t ack_base = 0, ack_in_time = 0, reply_base = 0, replied_in_time = 0;
  const auto by_roll = [&](const std::optional<std::int64_t>& at) {
    return at.value_or(t.published_at) < t.published_at ? at : std::optional<std::int64_t>();
  };
  for (const auto& c : t.dates) {
    const auto ack = by_roll(c.acknowledged_at);
    const auto reply = by_roll(c.first_reply_at);
    const auto outcome = by_roll(c.outcome_at);
    if (ack) to_ack.push_back((*ack - c.received_at) / kDay);
    if (outcome) to_outcome.push_back((*outcome - c.received_at) / kDay);
    const auto ack_end = c.received_at + (t.deadlines.acknowledge_days + 1) * kDay;
    if (ack || t.published_at >= ack_end) {
      ++ack_base;
      if (ack && *ack < ack_end) ++ack_in_time;
    }
    const auto reply_end = c.received_at + (t.deadlines.reply_days + 1) * kDay;
    if (reply || t.published_at >= reply_end) {
      ++reply_base;
      if (reply && *reply < reply_end) ++replied_in_time;
    }
  }
  const auto n_ack = static_cast<std::int64_t>(to_ack.size());
  const auto n_outcome = static_cast<std::int64_t>(to_outcome.size());
  s.acknowledged = from_minimum(n_ack, n_ack, minimum);
  s.with_outcome = from_minimum(n_outcome, n_outcome, minimum);
  s.acknowledge_base = from_minimum(ack_base, ack_base, minimum);
  s.acknowledged_in_time = from_minimum(ack_in_time, ack_base, minimum);
  s.reply_base = from_minimum(reply_base, reply_base, minimum);
  s.replied_in_time = from_minimum(replied_in_time, reply_base, minimum);
  s.median_days_to_acknowledge = median(std::move(to_ack), minimum);
  s.median_days_to_outcome = median(std::move(to_outcome), minimum);
  s.acknowledged_in_time_percent = percent(ack_in_time, ack_base, minimum);
  s.replied_in_time_percent = percent(replied_in_time, reply_base, minimum);
  return s;
}

namespace {
json::value count(const Published& p) { return p ? json::value(*p) : json::value(nullptr); }
json::value number(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }
}  // namespace

std::string snapshot_body(const PublicSnapshot& s) {
  json::object o;
  o["fiscal_year"] = s.fiscal_year;
  o["period"] = period_name(s.period);
  o["published_on"] = s.published_on;
  o["through"] = s.through ? json::value(*s.through) : json::value(nullptr);
  o["period_start"] = iso8601_bangkok(fiscal_year_start(s.fiscal_year));
  o["period_end"] = iso8601_bangkok(fiscal_year_start(s.fiscal_year + 1) - 1);
  o["withheld_below"] = kPublicMinimumBase;
  o["received"] = count(s.received);
  o["in_progress"] = count(s.in_progress);
  o["completed"] = count(s.completed);
  json::object by_category, by_source, outcomes;
  for (const auto& [k, v] : s.by_category) by_category[k] = count(v);
  for (const auto& [k, v] : s.by_source) by_source[k] = count(v);
  for (const auto& [k, v] : s.outcomes) outcomes[k] = count(v);
  o["by_category"] = std::move(by_category);
  o["by_source"] = std::move(by_source);
  json::array months;
  for (const auto& m : s.by_month) months.push_back({{"year", m.year_be}, {"month", m.month}, {"received", count(m.received)}});
  o["by_month"] = std::move(months);
  json::array channels;
  for (const auto& c : s.by_channel) {
    channels.push_back({{"id", c.slug}, {"name_th", c.name_th}, {"name_en", c.name_en}, {"received", count(c.received)}});
  }
  o["by_channel"] = std::move(channels);
  o["outcomes"] = std::move(outcomes);
  // Labels for the public page, which has no catalogue of its own.
  json::object labels;
  for (const auto& c : categories()) labels[c.id] = {{"th", c.th}, {"en", c.en}};
  for (const auto& [k, v] : s.by_category) {
    if (const auto* c = find_category(k)) labels[c->id] = {{"th", c->th}, {"en", c->en}};
  }
  for (const auto& st : statuses()) {
    if (is_final_status(st.id)) labels[st.id] = {{"th", st.th}, {"en", st.en}};
  }
  o["labels"] = std::move(labels);
  o["service"] = json::object{{"acknowledge_days", s.deadlines.acknowledge_days},
                              {"reply_days", s.deadlines.reply_days},
                              {"outcome_days", s.deadlines.outcome_days},
                              {"minimum_base", kPublicMinimumBase},
                              {"acknowledged", count(s.acknowledged)},
                              {"median_days_to_acknowledge", number(s.median_days_to_acknowledge)},
                              {"with_outcome", count(s.with_outcome)},
                              {"median_days_to_outcome", number(s.median_days_to_outcome)},
                              {"acknowledge_base", count(s.acknowledge_base)},
                              {"acknowledged_in_time", count(s.acknowledged_in_time)},
                              {"acknowledged_in_time_percent", number(s.acknowledged_in_time_percent)},
                              {"reply_base", count(s.reply_base)},
                              {"replied_in_time", count(s.replied_in_time)},
                              {"replied_in_time_percent", number(s.replied_in_time_percent)}};
  return json::serialize(o);
}

PublicTally tally_for(storage::Database& db, const storage::AgencyRow& agency, int fiscal_year, StatsPeriod period,
                      const Deadlines& deadlines, std::int64_t now) {
  PublicTally t;
  t.fiscal_year = fiscal_year;
  t.period = period;
  t.published_at = bangkok_day_start(now);
  t.completed_before = completed_before(now, period);
  t.categories = categories_of(agency.categories);
  t.channels = pss::channels(db, agency.id);
  t.cells = pss::case_cells(db, agency.id, fiscal_year, t.completed_before);
  t.dates = pss::case_dates(db, agency.id, fiscal_year, t.completed_before);
  t.deadlines = deadlines;
  return t;
}

std::string published_body(storage::Database& reader, const SnapshotWriter& write, const storage::AgencyRow& agency,
                           int fiscal_year, StatsPeriod period, const Deadlines& deadlines, std::int64_t now) {
  const auto name = std::string(period_name(period));
  const auto today = iso_date_bangkok(now);
  if (auto s = pss::load(reader, agency.id, fiscal_year, name); s && s->published_on == today) return s->body;
  std::string body;
  write([&](storage::Database& db) {
    // On the writer, so the day's first publication is the one kept (and
    // read back) however many requests raced to make it.
    if (auto s = pss::load(db, agency.id, fiscal_year, name); s && s->published_on == today) {
      body = s->body;
      return;
    }
    body = snapshot_body(publish(tally_for(db, agency, fiscal_year, period, deadlines, now)));
    pss::store(db, agency.id, fiscal_year, name, {today, body});
  });
  return body;
}

}  // namespace krasip::cases
