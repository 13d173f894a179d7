/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hvdbg.core.Architecture;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.testarch.TestMachine;

/**
 * A test machine served by the stub on a free loopback port, with a client attached. The test
 * program at {@link #CODE} counts at {@link #COUNTER} and takes a CPUID exit (leaf = the
 * count) each round, forever.
 */
final class StubFixture implements AutoCloseable {
    static final long CODE = 0x1000;
    static final long LOOP = 0x1007;
    static final long INC = 0x100f;
    static final long STORE = 0x1012;
    static final long CPUID = 0x101a;
    static final long COUNTER = 0x2000;
    static final long EXIT_CODE = 0x3000;

    static final byte[] PROGRAM = {
        0x48, (byte) 0xc7, (byte) 0xc0, 0, 0, 0, 0,        // 1000: mov rax, 0
        0x48, (byte) 0x8b, 0x04, 0x25, 0x00, 0x20, 0, 0,   // 1007: mov rax, [0x2000]
        0x48, (byte) 0xff, (byte) 0xc0,                    // 100f: inc rax
        0x48, (byte) 0x89, 0x04, 0x25, 0x00, 0x20, 0, 0,   // 1012: mov [0x2000], rax
        0x0f, (byte) 0xa2,                                 // 101a: cpuid (leaf = the count)
        (byte) 0xeb, (byte) 0xe9,                          // 101c: jmp 1007
    };

    /** mov rax, 3; out 0xf4, al: the guest ends with status (3 << 1) | 1. */
    static final byte[] EXIT_PROGRAM = {0x48, (byte) 0xc7, (byte) 0xc0, 3, 0, 0, 0, (byte) 0xe6, (byte) 0xf4};

    final TestMachine vm;
    final GdbServer server;
    final List<String> log = new CopyOnWriteArrayList<>();
    RspClient client;

    StubFixture(Architecture arch, int vcpus) throws IOException {
        vm = new TestMachine(arch, vcpus);
        vm.load(CODE, PROGRAM);
        vm.load(EXIT_CODE, EXIT_PROGRAM);
        for (int i = 0; i < vcpus; i++) {
            vm.testVcpu(i).setPc(CODE);
        }
        vm.start();
        server = GdbStub.start(vm, "0", log::add);
    }

    StubFixture(int vcpus) throws IOException {
        this(Architecture.X86_64, vcpus);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    RspClient connect() throws IOException {
        client = RspClient.connect(address(), RspClient.Options.defaults());
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        server.close();
        vm.terminate();
    }
}
