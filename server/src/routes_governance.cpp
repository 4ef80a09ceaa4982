// Governance of an agency's oversight (issue 20): the proposals a signed-in
// account may see and decide, removed readers to restore, and the public
// change log every agency publishes.
#include <boost/json.hpp>

#include "admin_guard.hpp"
#include "agency_param.hpp"
#include "governance_json.hpp"
#include "investigator_api.hpp"
#include "kdf_admission.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/cases/governance/governance_service.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/storage/change_log_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

json::object departure_json(const storage::DepartureRow& d, std::int64_t grace_ends) {
  return {{"id", d.id},
          {"agency", d.agency_slug},
          {"channel", d.channel_slug},
          {"username", d.username},
          {"role", d.role},
          {"left_at", cases::iso8601_bangkok(d.left_at)},
          {"restorable_until", cases::iso_date_bangkok(grace_ends)},
          {"keys", d.keys}};
}

// A decision on a proposal: the signed-in account, with a step-up, in one
// transaction with the code it uses up. `decide` is the service's call.
using Decide = void (cases::GovernanceService::*)(storage::Database&, const cases::Actor&, const std::string&,
                                                  std::int64_t) const;


void add_decision(Router& router, AppServices& app, const char* path, Decide decide, const char* action,
                  bool step_up) {
  router.add(
      http::verb::post, path,
      [&app, decide, action, step_up](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = authenticate(req, app);
        app.triage.require_active(*s);
        const auto body = parse_json_body(req, kStepUpOnly);
        auto proof = step_up_proof(body);
        std::shared_ptr<KdfSlot> slot;
        if (step_up) {
          slot = admit(app, reply);
          if (!slot) return;
        }
        offload(app, reply, [&app, s, slot, decide, action, step_up, proof = std::move(proof),
                             uid = std::string(p.get("uid")), client = p.client()] {
          std::optional<cases::StepUp> checked;
          if (step_up) checked = require_step_up(app, *s, proof, client, action);
          std::optional<cases::ProposalView> view;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            if (checked) app.login.consume_step_up(db, *checked, now);
            (app.governance->*decide)(db, cases::Actor::of(*s), uid, now);
            for (auto& v : app.governance->proposals(db, cases::Actor::of(*s), now)) {
              if (v.row.uid == uid) view = std::move(v);
            }
          });
          json::object o;
          o["proposal"] = view ? json::value(proposal_json(*view)) : json::value(nullptr);
          return json_response(http::status::ok, std::move(o));
        });
      },
      8 * 1024);
}

}  // namespace

void add_governance_routes(Router& router, AppServices& app) {
  // What the signed-in account may see: proposals of its agency and of the
  // agencies below it that concern it, with what it may do about each, and
  // removed readers it may restore.
  router.add(http::verb::get, "/api/v1/governance", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    offload(app, reply, [&app, s] {
      app.triage.require_active(*s);
      auto db = app.reader_pool.acquire();
      const storage::ReadSnapshot snapshot(*db);
      const auto now = app.clock();
      json::array proposals;
      for (const auto& v : app.governance->proposals(*db, cases::Actor::of(*s), now)) proposals.push_back(proposal_json(v));
      json::array removed;
      for (const auto& d : app.governance->restorable(*db, cases::Actor::of(*s), now)) {
        removed.push_back(departure_json(d, d.left_at + cases::kGraceDays * cases::kDaySeconds));
      }
      return json_response(http::status::ok,
                           json::object{{"proposals", std::move(proposals)}, {"restorable", std::move(removed)}});
    });
  });

  add_decision(router, app, "/api/v1/governance/proposals/{uid}/approve", &cases::GovernanceService::approve,
               "proposal.approve", true);
  add_decision(router, app, "/api/v1/governance/proposals/{uid}/refuse", &cases::GovernanceService::refuse,
               "proposal.refuse", true);
  add_decision(router, app, "/api/v1/governance/proposals/{uid}/veto", &cases::GovernanceService::veto,
               "proposal.veto", true);
  add_decision(router, app, "/api/v1/governance/proposals/{uid}/withdraw", &cases::GovernanceService::withdraw,
               "proposal.withdraw", false);

  // A removed reader back, with the keys they held, within the grace period.
  router.add(
      http::verb::post, "/api/v1/governance/restorations/{id}",
      [&app](const Request& req, const RouteParams& p, Reply reply) {
        const auto s = authenticate(req, app);
        app.triage.require_active(*s);
        const auto body = parse_json_body(req, kStepUpOnly);
        auto proof = step_up_proof(body);
        std::int64_t id = 0;
        try {
          id = std::stoll(std::string(p.get("id")));
        } catch (const std::exception&) {
          throw cases::CaseError(cases::ErrorCode::not_found, "no such removed reader", "departure");
        }
        auto slot = admit(app, reply);
        if (!slot) return;
        offload(app, reply, [&app, s, slot, id, proof = std::move(proof), client = p.client()] {
          const auto checked = require_step_up(app, *s, proof, client, "member.restore");
          std::int64_t keys = 0;
          app.writer.run([&](storage::Database& db) {
            const auto now = app.clock();
            app.login.consume_step_up(db, checked, now);
            keys = app.governance->restore(db, cases::Actor::of(*s), id, now);
          });
          return json_response(http::status::ok, json::object{{"restored_keys", keys}});
        });
      },
      8 * 1024);

  // The change log an agency publishes (no login): every entry exactly as
  // hashed, so anyone can recompute the chain, and its head.
  router.add(http::verb::get, "/api/v1/public/changes", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto agency = requested_agency(app, req);
    offload(app, reply, [&app, agency] {
      auto db = app.reader_pool.acquire();
      const storage::ReadSnapshot snapshot(*db);
      return json_response(http::status::ok, change_log_json(*db, agency));
    });
  });
}

}  // namespace krasip::server
