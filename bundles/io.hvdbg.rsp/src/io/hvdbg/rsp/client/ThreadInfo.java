/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.client;

/**
 * A thread of the target (for hvdbg: a vCPU, thread id = vCPU index + 1).
 *
 * @param id    thread id as the protocol carries it
 * @param name  name the stub gives it ("vCPU 0"), or empty
 * @param core  core number, or -1 if not reported
 * @param extra extra information ("running in long mode", "halted"), or empty
 */
public record ThreadInfo(long id, String name, int core, String extra) {
}
