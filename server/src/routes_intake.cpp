#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "agency_param.hpp"
#include "channel_json.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/evidence/file_types.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/error_mapping.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

json::object intake_description(AppServices& app, const storage::AgencyRow& agency) {
  // The agency's own categories (issue 11), in the order it chose.
  auto categories = categories_json(cases::categories_of(agency.categories));
  json::array keys;
  const auto readers = app.readers.current(cases::AgencyScope::of(agency));
  for (const auto& r : readers->case_readers) {
    keys.push_back(json::object{{"id", r.id}, {"public_key", crypto::to_base64(r.public_key)}});
  }
  // The channels the reporter chooses from, each with who will read the
  // complaint and who the identity, as the agency describes them (issue 10).
  json::array channels;
  for (const auto& ch : readers->channels) channels.push_back(public_channel_json(ch.channel));
  const auto& l = app.limits;
  const bool followups = app.followups != nullptr;
  json::array upload_types;
  json::array cleaned_types;
  for (const auto& t : cases::allowed_file_types()) {
    upload_types.push_back(json::string(t.mime));
    if (t.cleaned) cleaned_types.push_back(json::string(t.mime));
  }
  const auto warning = cases::metadata_note(false);
  return {
      {"agency", agency_json(agency)},
      {"categories", std::move(categories)},
      {"channels", std::move(channels)},
      {"limits",
       {{"subject_field_max", l.subject_field_max},
        {"description_max", l.description_max},
        {"location_max", l.location_max},
        {"identity_field_max", l.identity_field_max},
        {"address_max", l.address_max},
        {"message_max", l.message_max},
        {"max_body_bytes", l.max_body_bytes},
        {"upload_max_bytes", l.upload_max_bytes},
        {"case_upload_max_bytes", l.case_upload_max_bytes},
        {"attachments_per_case_max", l.attachments_per_case_max},
        {"messages_per_case_per_day", l.messages_per_case_per_day}}},
      {"public_keys", std::move(keys)},
      // Evidence files (issue 4): types accepted (decided from the content),
      // the image types whose metadata is removed, and the warning to show
      // before a reporter picks any other type.
      {"upload_types", std::move(upload_types)},
      {"upload_types_cleaned", std::move(cleaned_types)},
      {"upload_metadata_warning_th", warning.th},
      {"upload_metadata_warning_en", warning.en},
      {"features", {{"reporter_messages", followups}, {"attachments", followups}}},
      // The receipt tells a reporter the service's onion address (issue 22).
      {"onion_address", app.onion_address.empty() ? json::value(nullptr) : json::value(app.onion_address)},
  };
}

}  // namespace

void add_intake_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/intake",
             [&app](const Request& req, const RouteParams&, Reply reply) {
               reply(json_response(http::status::ok, intake_description(app, requested_agency(app, req))));
             });

  // An agency's logo for its pages (issue 11): checked and stripped of
  // metadata when the operator set it (agency_logo.hpp), served as the
  // type it was found to be. Unknown, disabled or without a logo: 404.
  router.add(http::verb::get, "/api/v1/agencies/{slug}/logo",
             [&app](const Request&, const RouteParams& p, Reply reply) {
               std::optional<storage::key_store::AgencyLogo> logo;
               {
                 auto db = app.reader_pool.acquire();
                 logo = storage::key_store::agency_logo(*db, std::string(p.get("slug")));
               }
               if (!logo) {
                 throw cases::CaseError(cases::ErrorCode::not_found, "this agency has no logo here");
               }
               Response res{http::status::ok, 11};
               res.set(http::field::content_type, logo->type);
               // Not a secret and the same for every reporter; an hour, as
               // the pages' other files, so a new logo shows within one.
               res.set(http::field::cache_control, "public, max-age=3600");
               res.body().assign(logo->bytes.begin(), logo->bytes.end());
               res.prepare_payload();
               reply(std::move(res));
             });

  auto& complaints = router.add(
      http::verb::post, "/api/v1/complaints",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto body = parse_json_body(req, cases::complaint_shape());
        auto input = cases::complaint_from_json(body, app.limits, app.intake.today_days());
        const auto agency = cases::AgencyScope::of(requested_agency(app, req));
        // Sealing (one crypto_box_seal per reader) runs on the sealing pool,
        // so the I/O threads keep answering lookups meanwhile; the reply
        // waits for the durable commit.
        auto seal_and_store = [&app, agency, input = std::move(input), reply]() {
          try {
            app.intake.submit(agency, input, [reply](std::exception_ptr error, cases::Receipt r) {
              if (error) return reply(response_for(error));
              reply(json_response(
                  http::status::created,
                  json::object{{"case_number", r.case_number},
                               {"tracking_code", r.tracking_code},
                               {"received_at", cases::iso_date_bangkok(r.received_at)}}));
            });
          } catch (...) {
            reply(response_for(std::current_exception()));
          }
        };
        if (app.sealing != nullptr) {
          boost::asio::post(*app.sealing, std::move(seal_and_store));
        } else {
          seal_and_store();
        }
      },
      app.limits.max_body_bytes, app.submit_limiter);
  complaints.proof = app.pow;
  complaints.purpose = cases::ProofOfWork::Purpose::submit;

  // What the counter form offers an investigator: their agency (named on
  // the slip), the channels of it whose complaints they receive, categories,
  // sources and limits.
  router.add(http::verb::get, "/api/v1/counter-complaints",
             [&app](const Request& req, const RouteParams&, Reply reply) {
               const auto s = authenticate(req, app);
               offload(app, reply, [&app, s] {
                 app.triage.require_active(*s);
                 storage::AgencyRow agency;
                 {
                   auto db = app.reader_pool.acquire();
                   if (auto a = storage::key_store::load_agency(*db, s->agency_id)) agency = std::move(*a);
                 }
                 auto o = intake_description(app, agency);
                 json::array mine;
                 for (const auto& ch : app.readers.current(s->agency())->channels) {
                   for (const auto& r : ch.case_readers) {
                     if (r.id == s->key_id) {
                       mine.push_back(public_channel_json(ch.channel));
                       break;
                     }
                   }
                 }
                 o["channels"] = std::move(mine);
                 json::array sources;
                 for (const auto& src : cases::complaint_sources()) {
                   if (src.id == "web") continue;
                   sources.push_back({{"id", src.id}, {"label_th", src.th}, {"label_en", src.en}});
                 }
                 o["sources"] = std::move(sources);
                 o.erase("public_keys");
                 return json_response(http::status::ok, std::move(o));
               });
             });

  // Issue 13, item 3: a complaint an investigator records for a citizen at
  // the counter, by phone, letter or e-mail, into a channel of their own
  // agency they receive. The same path as the web form's from the sealing
  // on; the tracking code is in this answer only, for the printed slip.
  router.add(
      http::verb::post, "/api/v1/counter-complaints",
      [&app](const Request& req, const RouteParams&, Reply reply) {
        const auto s = authenticate(req, app);
        const auto body = parse_json_body(req, cases::counter_complaint_shape());
        auto input = cases::counter_complaint_from_json(body, app.limits, app.intake.today_days());
        if (app.audit == nullptr) throw cases::CaseError(cases::ErrorCode::not_found, "no such route");
        auto seal_and_store = [&app, s, input = std::move(input), reply]() {
          try {
            app.triage.require_active(*s);
            app.intake.record(*s, input, *app.audit, [reply, source = input.source](std::exception_ptr error,
                                                                                    cases::Receipt r) {
              if (error) return reply(response_for(error));
              reply(json_response(http::status::created,
                                  json::object{{"case_number", r.case_number},
                                               {"tracking_code", r.tracking_code},
                                               {"source", source},
                                               {"received_at", cases::iso_date_bangkok(r.received_at)}}));
            });
          } catch (...) {
            reply(response_for(std::current_exception()));
          }
        };
        if (app.sealing != nullptr) {
          boost::asio::post(*app.sealing, std::move(seal_and_store));
        } else {
          seal_and_store();
        }
      },
      app.limits.max_body_bytes);
}

}  // namespace krasip::server
