"""The HTTP protocol's transport: what one turn of the event loop writes reaches the socket as one write."""

import asyncio

from inclusion_kg.http_protocol import GatheringTransport


class RecordingTransport(asyncio.Transport):
    def __init__(self):
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data):
        self.writes.append(bytes(data))

    def close(self):
        self.closed = True

    def is_closing(self):
        return self.closed

    def get_extra_info(self, name, default=None):
        return {"peername": ("127.0.0.1", 5000)}.get(name, default)


def test_a_head_and_its_body_written_in_one_turn_go_out_as_one_write():
    async def scenario():
        socket_side = RecordingTransport()
        transport = GatheringTransport(socket_side, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"ok")
        assert socket_side.writes == []  # not before the end of this turn
        await asyncio.sleep(0)
        return socket_side.writes

    assert asyncio.run(scenario()) == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]


def test_a_streamed_body_still_goes_out_turn_by_turn():
    async def scenario():
        socket_side = RecordingTransport()
        transport = GatheringTransport(socket_side, asyncio.get_running_loop())
        for chunk in (b"a", b"b", b"c"):
            transport.write(chunk)
            await asyncio.sleep(0)
        return socket_side.writes

    assert asyncio.run(scenario()) == [b"a", b"b", b"c"]


def test_close_writes_what_is_pending_first_and_the_rest_is_the_socket_transports():
    async def scenario():
        socket_side = RecordingTransport()
        transport = GatheringTransport(socket_side, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 414 URI Too Long\r\n\r\n")
        transport.close()
        await asyncio.sleep(0)
        return socket_side, transport

    socket_side, transport = asyncio.run(scenario())
    assert socket_side.writes == [b"HTTP/1.1 414 URI Too Long\r\n\r\n"]
    assert socket_side.closed and transport.is_closing()
    assert transport.get_extra_info("peername") == ("127.0.0.1", 5000)
