// Reporter follow-ups with the tracking code alone (issue 4): messages to
// the investigators and evidence files. This file only translates HTTP to
// cases::FollowUpService and back.
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/error_mapping.hpp"
#include "krasip/server/json_body.hpp"
#include "krasip/server/multipart_parser.hpp"
#include "file_download.hpp"
#include "investigator_api.hpp"
#include "plain_routes.hpp"

namespace krasip::server {

namespace json = boost::json;
using cases::CaseError;
using cases::ErrorCode;

namespace {

// Multipart framing, part headers and the tracking-code field are small;
// this is what a file part may come with on top of its own bytes.
constexpr std::size_t kUploadOverheadBytes = 64 * 1024;
constexpr std::size_t kMaxCodeBytes = 64;

const cases::JsonShape kMessage{{"tracking_code"}, {"body"}};
// The parts of the multipart uploads, refused alike when unknown.
const cases::JsonShape kReporterUpload{{"tracking_code"}, {"file"}};
const cases::JsonShape kInvestigatorUpload{{"file"}};
const cases::JsonShape kDownload{{"tracking_code"}};

std::string string_member(const json::value& body, std::string_view key, bool code) {
  const auto* obj = body.if_object();
  if (obj == nullptr) throw CaseError(ErrorCode::invalid_field, "the body must be a JSON object");
  const json::value* v = obj->if_contains(key);
  if (v == nullptr || v->is_null()) {
    throw CaseError(ErrorCode::missing_field, std::string(key) + " is required", std::string(key));
  }
  if (!v->is_string() || (code && v->get_string().size() > kMaxCodeBytes)) {
    if (code) {
      throw CaseError(ErrorCode::malformed_code, "the tracking code is mistyped", "tracking_code");
    }
    throw CaseError(ErrorCode::invalid_field, std::string(key) + " must be a string",
                    std::string(key));
  }
  return std::string(v->get_string());
}

void wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

[[noreturn]] void throw_multipart(MultipartParser::Error e) {
  switch (e) {
    case MultipartParser::Error::header_too_large:
      throw HttpError(http::status::bad_request, "malformed_multipart",
                      "The headers of a form part are too large.");
    case MultipartParser::Error::too_many_parts:
      throw HttpError(http::status::bad_request, "malformed_multipart",
                      "The form has too many parts: send tracking_code and one file.");
    case MultipartParser::Error::missing_final_boundary:
      throw HttpError(http::status::bad_request, "malformed_multipart",
                      "The form ended before its closing boundary; nothing was stored.");
    default:
      throw HttpError(http::status::bad_request, "malformed_multipart",
                      "The body is not valid multipart/form-data.");
  }
}

// One of AppServices::max_concurrent_uploads places, held from the request
// header until the answer: a file held in memory to be cleaned counts.
class UploadSlot {
 public:
  explicit UploadSlot(AppServices& app) : app_(app) {
    if (app_.uploads_active.fetch_add(1) >= app_.max_concurrent_uploads) {
      app_.uploads_active.fetch_sub(1);
      throw CaseError(ErrorCode::busy,
                      "too many files are being received right now; please try again in a few "
                      "seconds");
    }
  }
  UploadSlot(const UploadSlot&) = delete;
  UploadSlot& operator=(const UploadSlot&) = delete;
  ~UploadSlot() { app_.uploads_active.fetch_sub(1); }

 private:
  AppServices& app_;
};

// POST /api/v1/status/attachments: multipart/form-data with `tracking_code`
// first, then `file`. The code is checked before any file byte is taken; a
// wrong code, a disallowed type or an oversize file stops the reading.
//
// From a plain HTML form (issue 22, `plain` set): a `form_token` part comes
// first and is used up before the code is read, the answers are pages, and
// the code is kept (wiped at the end) to show the case again afterwards.
class UploadBody : public BodyReader {
 public:
  UploadBody(cases::FollowUpService& service, std::string boundary,
             std::shared_ptr<UploadSlot> slot, boost::asio::thread_pool* cleaning,
             std::optional<PlainUploadHooks> plain = std::nullopt)
      : service_(service),
        slot_(std::move(slot)),
        cleaning_(cleaning),
        plain_(std::move(plain)),
        parser_(std::move(boundary),
                {[this](const PartHeaders& h) { part_begin(h); },
                 [this](std::string_view d) { part_data(d); }, [this] { part_end(); }},
                4096, plain_ ? 5 : 4) {}
  ~UploadBody() override {
    wipe(code_);
    wipe(kept_code_);
  }

  // On the I/O thread. Once 64 KiB of the file are in, write() asks a
  // krasip-cleaner helper for the type and waits for it here: bounded by
  // HelperConfig::sniff_timeout (3 s; some 35 ms of CPU normally) and by
  // the upload slots. Chosen over pausing the read for an asynchronous
  // answer, which the session's body streaming cannot do today.
  void on_data(std::string_view bytes) override {
    try {
      const auto err = parser_.feed(bytes);
      if (err != MultipartParser::Error::none) throw_multipart(err);
    } catch (const PreparedPage&) {
      throw;
    } catch (...) {
      // Once the code opened the case, a refused file is shown on its page.
      if (plain_ && code_done_) throw PreparedPage(plain_->refusal(std::current_exception(), kept_code_));
      throw;
    }
  }

  void on_complete(Reply reply) override {
    try {
      check_complete();
    } catch (...) {
      if (plain_ && code_done_) throw PreparedPage(plain_->refusal(std::current_exception(), kept_code_));
      throw;
    }
    // From here the upload's completion owns the file and the slot; this
    // object may end. The last step runs the cleaner helper (bounded by its
    // timeout, see HelperConfig) and fsyncs: on the cleaning pool, so a
    // slow or hanging parser never holds an I/O thread. The pool has one
    // thread per upload slot, so an admitted upload never waits for one.
    std::shared_ptr<cases::AttachmentUpload> upload = std::move(upload_);
    std::function<void(const Reply&, std::exception_ptr, cases::AttachmentEntry)> answer_with = answer;
    if (plain_) {
      answer_with = [done = plain_->done, code = kept_code_](const Reply& r, std::exception_ptr e,
                                                             cases::AttachmentEntry a) {
        done(r, e, a, code);
      };
    }
    auto finish = [upload, reply, slot = slot_, answer_with]() {
      try {
        upload->finish([reply, slot, answer_with](std::exception_ptr error, cases::AttachmentEntry a) {
          answer_with(reply, error, std::move(a));
        });
      } catch (...) {
        answer_with(reply, std::current_exception(), {});
      }
    };
    if (cleaning_ != nullptr) {
      boost::asio::post(*cleaning_, std::move(finish));
    } else {
      finish();
    }
  }

  static void answer(const Reply& reply, std::exception_ptr error, cases::AttachmentEntry a) {
    if (error) return reply(response_for(error));
    const auto note = cases::metadata_note(a.metadata_removed);
    json::array removed;
    for (const auto& r : a.removed) removed.push_back(json::string(r));
    reply(json_response(http::status::created,
                        json::object{{"attachment",
                                      {{"id", a.id},
                                       {"filename", a.filename},
                                       {"content_type", a.content_type},
                                       {"size", a.size},
                                       {"at", cases::api_time(a.at, a.from == "reporter")},
                                       {"from", a.from},
                                       {"metadata_removed", a.metadata_removed},
                                       {"removed", std::move(removed)},
                                       {"not_cleaned_reason", a.not_cleaned_reason},
                                       {"metadata_note_th", note.th},
                                       {"metadata_note_en", note.en}}}}));
  }

  void on_abort() noexcept override { upload_.reset(); }  // removes the partial file

 private:
  void check_complete() {
    const auto err = parser_.finish();
    if (err != MultipartParser::Error::none) throw_multipart(err);
    if (!code_done_) {
      throw CaseError(ErrorCode::missing_field, "tracking_code is required", "tracking_code");
    }
    if (!file_seen_ || !upload_) throw CaseError(ErrorCode::missing_field, "file is required", "file");
  }

  void part_begin(const PartHeaders& h) {
    if (plain_ && h.name == "form_token") {
      if (token_started_ || code_started_) {
        throw CaseError(ErrorCode::invalid_field, "send form_token once, first", "form_token");
      }
      token_started_ = in_token_ = true;
      return;
    }
    if (plain_ && !token_done_) {
      throw CaseError(ErrorCode::missing_field, "form_token is required, first", "form_token");
    }
    if (h.name == "tracking_code") {
      if (code_started_ || file_seen_) {
        throw CaseError(ErrorCode::invalid_field, "send tracking_code once, before the file",
                        "tracking_code");
      }
      code_started_ = in_code_ = true;
    } else if (h.name == "file") {
      if (!code_done_) {
        throw CaseError(ErrorCode::missing_field,
                        "tracking_code is required, before the file", "tracking_code");
      }
      if (file_seen_) throw CaseError(ErrorCode::invalid_field, "send one file at a time", "file");
      file_seen_ = in_file_ = true;
      upload_->begin_file(h.filename.value_or(""));
    } else {
      cases::refuse_unknown_member(h.name, kReporterUpload);
    }
  }

  void part_data(std::string_view d) {
    if (in_token_) {
      if (token_.size() + d.size() > 256) throw CaseError(ErrorCode::invalid_field, "form_token is too long", "form_token");
      token_.append(d);
      return;
    }
    if (in_code_) {
      if (code_.size() + d.size() > kMaxCodeBytes) {
        throw CaseError(ErrorCode::malformed_code, "the tracking code is mistyped",
                        "tracking_code");
      }
      code_.append(d);
    } else if (in_file_) {
      upload_->write({reinterpret_cast<const std::uint8_t*>(d.data()), d.size()});
    }
  }

  void part_end() {
    if (in_token_) {
      in_token_ = false;
      plain_->check_token(token_);  // throws unless fresh: nothing is taken twice
      token_done_ = true;
      return;
    }
    if (in_code_) {
      in_code_ = false;
      // Checked now, before the file part: a wrong code stops the reading.
      upload_ = service_.begin_reporter_upload(code_);
      code_done_ = true;
      if (plain_) kept_code_ = code_;
      wipe(code_);
    }
    in_file_ = false;
  }

  cases::FollowUpService& service_;
  std::shared_ptr<UploadSlot> slot_;
  boost::asio::thread_pool* cleaning_;
  std::optional<PlainUploadHooks> plain_;
  MultipartParser parser_;
  std::string token_;
  bool token_started_ = false;
  bool in_token_ = false;
  bool token_done_ = false;
  std::string kept_code_;
  std::string code_;
  bool code_started_ = false;
  bool in_code_ = false;
  bool code_done_ = false;
  bool in_file_ = false;
  bool file_seen_ = false;
  std::unique_ptr<cases::AttachmentUpload> upload_;
};

json::object attachment_json(const cases::AttachmentEntry& a) {
  const auto note = cases::metadata_note(a.metadata_removed);
  return {{"id", a.id},
          {"filename", a.filename},
          {"content_type", a.content_type},
          {"size", a.size},
          {"at", cases::api_time(a.at, a.from == "reporter")},
          {"from", a.from},
          {"metadata_removed", a.metadata_removed},
          {"metadata_note_th", note.th},
          {"metadata_note_en", note.en}};
}

// POST /api/v1/cases/{number}/attachments (issue 13, item 5): an
// investigator sends the reporter a file, multipart/form-data with one part
// `file`. The session and the case were checked before this reader exists;
// type and size rules are the reporter's (AttachmentUpload).
class FileToReporterBody : public BodyReader {
 public:
  FileToReporterBody(std::unique_ptr<cases::AttachmentUpload> upload, std::string boundary)
      : upload_(std::move(upload)),
        parser_(std::move(boundary),
                {[this](const PartHeaders& h) { part_begin(h); },
                 [this](std::string_view d) { part_data(d); }, [this] { in_file_ = false; }},
                4096, 2) {}

  void on_data(std::string_view bytes) override {
    const auto err = parser_.feed(bytes);
    if (err != MultipartParser::Error::none) throw_multipart(err);
  }

  void on_complete(Reply reply) override {
    const auto err = parser_.finish();
    if (err != MultipartParser::Error::none) throw_multipart(err);
    if (!file_seen_ || !upload_) throw CaseError(ErrorCode::missing_field, "file is required", "file");
    auto upload = std::move(upload_);
    upload->finish([reply](std::exception_ptr error, cases::AttachmentEntry a) {
      if (error) return reply(response_for(error));
      reply(json_response(http::status::created, json::object{{"attachment", attachment_json(a)}}));
    });
  }

  void on_abort() noexcept override { upload_.reset(); }  // removes the partial file

 private:
  void part_begin(const PartHeaders& h) {
    cases::refuse_unknown_member(h.name, kInvestigatorUpload);
    if (file_seen_) throw CaseError(ErrorCode::invalid_field, "send one file at a time", "file");
    file_seen_ = in_file_ = true;
    upload_->begin_file(h.filename.value_or(""));
  }
  void part_data(std::string_view d) {
    if (in_file_) upload_->write({reinterpret_cast<const std::uint8_t*>(d.data()), d.size()});
  }

  std::unique_ptr<cases::AttachmentUpload> upload_;
  MultipartParser parser_;
  bool in_file_ = false;
  bool file_seen_ = false;
};

}  // namespace

std::shared_ptr<BodyReader> plain_upload_reader(AppServices& app, const Request& header, PlainUploadHooks hooks) {
  auto boundary = multipart_boundary(header[http::field::content_type]);
  if (!boundary) {
    throw HttpError(http::status::unsupported_media_type, "unsupported_media_type",
                    "send the file as multipart/form-data");
  }
  auto slot = std::make_shared<UploadSlot>(app);
  return std::make_shared<UploadBody>(*app.followups, std::move(*boundary), std::move(slot), app.cleaning,
                                      std::move(hooks));
}

void add_followup_routes(Router& router, AppServices& app) {
  cases::FollowUpService& followups = *app.followups;
  // Both take a tracking code, so both count against the status-lookup
  // limit: otherwise they would be a way to guess codes without it.

  auto& messages = router.add(
      http::verb::post, "/api/v1/status/messages",
      [&followups](const Request& req, const RouteParams&, Reply reply) {
        const auto body = parse_json_body(req, kMessage);
        std::string code = string_member(body, "tracking_code", true);
        const std::string text = string_member(body, "body", false);
        followups.post_reporter_message(
            code, text, [reply](std::exception_ptr error, cases::MessageReceipt m) {
              if (error) return reply(response_for(error));
              reply(json_response(
                  http::status::created,
                  json::object{{"message",
                                {{"at", cases::api_time(m.at, m.from == "reporter")}, {"from", m.from}}}}));
            });
        wipe(code);
      },
      // message_max code points of up to 4 bytes, or 6 as a JSON \u escape.
      app.limits.message_max * 6 + 1024, app.status_limiter);
  messages.proof = app.pow;
  messages.purpose = cases::ProofOfWork::Purpose::message;

  router.add_streaming(
      http::verb::post, "/api/v1/status/attachments",
      [&followups, &app](const Request& header, const RouteParams&) -> std::shared_ptr<BodyReader> {
        auto boundary = multipart_boundary(header[http::field::content_type]);
        if (!boundary) {
          throw HttpError(http::status::unsupported_media_type, "unsupported_media_type",
                          "send the file as multipart/form-data");
        }
        // Refused before the body is read (503 server_busy, Retry-After).
        auto slot = std::make_shared<UploadSlot>(app);
        return std::make_shared<UploadBody>(followups, std::move(*boundary), std::move(slot),
                                            app.cleaning);
      },
      static_cast<std::size_t>(app.limits.upload_max_bytes) + kUploadOverheadBytes,
      app.status_limiter);

  // Issue 13, item 5: the reporter downloads a file of their case (the
  // investigators' or their own). The code goes in the body, never the URL.
  router.add(
      http::verb::post, "/api/v1/status/attachments/{id}",
      [&app, &followups](const Request& req, const RouteParams& p, Reply reply) {
        std::string code = string_member(parse_json_body(req, kDownload), "tracking_code", true);
        offload_streamed(app, reply, [&followups, code, id = std::string(p.get("id"))]() mutable {
          auto dl = followups.open_reporter_download(code, id);
          wipe(code);
          return download_response(std::move(dl));
        });
        wipe(code);
      },
      4 * 1024, app.status_limiter);

  // Issue 13, item 5: a file from the investigators to the reporter.
  router.add_streaming(
      http::verb::post, "/api/v1/cases/{number}/attachments",
      [&app, &followups](const Request& header, const RouteParams& p) -> std::shared_ptr<BodyReader> {
        const auto s = authenticate(header, app);  // session and X-CSRF-Token, before any byte
        auto boundary = multipart_boundary(header[http::field::content_type]);
        if (!boundary) {
          throw HttpError(http::status::unsupported_media_type, "unsupported_media_type",
                          "send the file as multipart/form-data");
        }
        auto upload = app.triage.begin_file_to_reporter(*s, std::string(p.get("number")), followups);
        return std::make_shared<FileToReporterBody>(std::move(upload), std::move(*boundary));
      },
      static_cast<std::size_t>(app.limits.upload_max_bytes) + kUploadOverheadBytes);
}

}  // namespace krasip::server
