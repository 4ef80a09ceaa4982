#pragma once

namespace krasip::cli {

int cmd_init(int argc, char** argv);
int cmd_serve(int argc, char** argv);
int cmd_user(int argc, char** argv);
int cmd_audit(int argc, char** argv);
int cmd_recovery(int argc, char** argv);
int cmd_channel(int argc, char** argv);
int cmd_agency(int argc, char** argv);
int cmd_backup(int argc, char** argv);
int cmd_restore(int argc, char** argv);
int cmd_purge(int argc, char** argv);
int cmd_mail(int argc, char** argv);
int cmd_proposals(int argc, char** argv);
int cmd_deployment(int argc, char** argv);

}  // namespace krasip::cli
