#!/usr/bin/env python3
"""A delay link between two TAP devices, for the multi-host test bed.

This kernel has no netem (nor fq, sfq), so `tc qdisc ... netem delay` cannot add latency.
Instead one host of the bed has a TAP device as its interface, and this process copies every
Ethernet frame between it and a second TAP device plugged into the bridge, holding each frame
for the configured delay first. Frames keep their order (a frame is never due before the one
ahead of it), so TCP sees latency, not reordering.

usage: delaylink.py NETNS NS_TAP ROOT_TAP
  ROOT_TAP is opened in the namespace this process starts in (the root one, where the bridge
  is); NS_TAP is opened after entering /var/run/netns/NETNS.
stdin: lines "OUT_MS IN_MS" set the delay of frames leaving the host (OUT) and reaching it (IN);
  both start at 0. EOF on stdin ends the process, so it never outlives the test that started it.
stdout: "ready" once both devices are attached, then "delay OUT IN" after every change.
"""
import collections
import ctypes
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def attach(name):
  fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
  fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
  return fd


def enter_netns(netns):
  # Python 3.11 has no os.setns. A /dev/net/tun file belongs to the namespace it was opened in,
  # so the root tap must be opened before this call and the host's tap after it.
  libc = ctypes.CDLL(None, use_errno=True)
  nsfd = os.open("/var/run/netns/" + netns, os.O_RDONLY)
  if libc.setns(nsfd, CLONE_NEWNET) != 0:
    raise OSError(ctypes.get_errno(), "setns " + netns)
  os.close(nsfd)


class Direction:
  """Frames read from one fd, written to the other once due."""

  def __init__(self, src, dst):
    self.src = src
    self.dst = dst
    self.delay = 0.0
    self.queue = collections.deque()
    self.last_due = 0.0

  def read(self, now):
    while True:
      try:
        frame = os.read(self.src, 65536)
      except BlockingIOError:
        return
      due = max(now + self.delay, self.last_due)
      self.last_due = due
      self.queue.append((due, frame))

  def flush(self, now):
    while self.queue and self.queue[0][0] <= now:
      _, frame = self.queue.popleft()
      try:
        os.write(self.dst, frame)
      except OSError:
        pass  # a full or down device drops the frame, as a wire would

  def next_due(self):
    return self.queue[0][0] if self.queue else None


def main():
  netns, ns_tap, root_tap = sys.argv[1:4]
  root_fd = attach(root_tap)
  enter_netns(netns)
  ns_fd = attach(ns_tap)
  out = Direction(ns_fd, root_fd)
  inn = Direction(root_fd, ns_fd)
  stdin = sys.stdin.fileno()
  print("ready", flush=True)
  pending = b""
  while True:
    now = time.monotonic()
    dues = [d for d in (out.next_due(), inn.next_due()) if d is not None]
    timeout = max(0.0, min(dues) - now) if dues else 1.0
    readable, _, _ = select.select([ns_fd, root_fd, stdin], [], [], timeout)
    now = time.monotonic()
    if stdin in readable:
      chunk = os.read(stdin, 4096)
      if not chunk:
        return
      pending += chunk
      while b"\n" in pending:
        line, pending = pending.split(b"\n", 1)
        parts = line.split()
        if len(parts) == 2:
          out.delay = int(parts[0]) / 1000.0
          inn.delay = int(parts[1]) / 1000.0
          print("delay %s %s" % (parts[0].decode(), parts[1].decode()), flush=True)
    if ns_fd in readable:
      out.read(now)
    if root_fd in readable:
      inn.read(now)
    out.flush(now)
    inn.flush(now)


if __name__ == "__main__":
  main()
