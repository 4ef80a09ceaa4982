#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "server_state.hpp"

namespace krasip::server {

// Accepts connections, each on its own strand. Over the connection cap a
// connection gets a 503 JSON answer and is closed; when the process is out
// of file descriptors it pauses accepting briefly instead of spinning.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           ServerState& state);
  unsigned short port() const;
  void start();
  void stop();

 private:
  void accept();
  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  ServerState& state_;
};

}  // namespace krasip::server
