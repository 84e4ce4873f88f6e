/*
 * Host tests for the x86 instruction decoder (vmm/insn/x86_decode.c).
 *
 * The vector table was produced at development time by assembling each
 * line's text with GNU as (.code16/.code32/.code64, Intel syntax) and
 * deriving the expected fields from the assembly text (register numbers,
 * sizes, base/index/scale/displacement, segment), not from the decoder.
 * The bytes are committed; the test needs no assembler.
 *
 * Then: every vector cut short at every length (must say TRUNCATED and
 * read nothing past the cut), prefix rules (REX position, 66 vs REX.W,
 * last override wins, segment overrides ignored in 64-bit mode), the
 * 15-byte limit, and invalid or unsupported encodings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/insn/x86_decode.h"

struct vector {
	enum x86_cpu_mode mode;
	const char *text;
	const char *bytes;
	size_t len;
	enum x86_op op;
	enum x86_mem_dir dir;
	bool mem_first;
	uint8_t op_size, mem_size, addr_size;
	int reg; /* -1: no register operand */
	bool high8;
	bool has_imm;
	uint64_t imm;
	enum x86_seg seg;
	int base, index; /* -1: none */
	uint8_t scale;
	uint64_t disp;
	bool rip_rel;
	int rep; /* 1: F3, 2: F2 */
	bool lock;
};

#define REG(r, h) r, h
#define IMM(has, v) has, v
#define MEM(s, b, i, sc, d, rip) X86_SEG_##s, b, i, sc, d, rip
#define V(m, text, b, op, dir, first, os, ms, as, reg, imm, mem, rep, lock) \
	{ X86_MODE_##m, text, b, sizeof(b) - 1, X86_OP_##op, X86_MEM_##dir, \
	  first, os, ms, as, reg, imm, mem, rep, lock }

/* mode, assembler text, bytes,
 *   op, dir, mem_first, op_size, mem_size, addr_size, REG(reg, high8),
 *   IMM(has, value), MEM(seg, base, index, scale, disp, rip_rel), rep, lock */
static const struct vector vectors[] = {
	/* 64-bit mode: MOV 88/89/8A/8B, REX and the byte registers */
	V(64, "mov byte ptr [rax], cl",
	  "\x88\x08",
	  MOV, DST, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov byte ptr [rax], ah",
	  "\x88\x20",
	  MOV, DST, 1, 1, 1, 8, REG(0, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov byte ptr [rax], spl",
	  "\x40\x88\x20",
	  MOV, DST, 1, 1, 1, 8, REG(4, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov byte ptr [r8], sil",
	  "\x41\x88\x30",
	  MOV, DST, 1, 1, 1, 8, REG(6, 0), IMM(0, 0),
	  MEM(DS, 8, -1, 1, 0, 0), 0, 0),
	V(64, "mov byte ptr [rax], r15b",
	  "\x44\x88\x38",
	  MOV, DST, 1, 1, 1, 8, REG(15, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov word ptr [rbx+0x10], dx",
	  "\x66\x89\x53\x10",
	  MOV, DST, 1, 2, 2, 8, REG(2, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 16, 0), 0, 0),
	V(64, "mov dword ptr [rbx+rcx*4+0x10], eax",
	  "\x89\x44\x8b\x10",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 1, 4, 16, 0), 0, 0),
	V(64, "mov qword ptr [rsp+8], rdi",
	  "\x48\x89\x7c\x24\x08",
	  MOV, DST, 1, 8, 8, 8, REG(7, 0), IMM(0, 0),
	  MEM(SS, 4, -1, 1, 8, 0), 0, 0),
	V(64, "mov dword ptr [rbp-8], esi",
	  "\x89\x75\xf8",
	  MOV, DST, 1, 4, 4, 8, REG(6, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, -8, 0), 0, 0),
	V(64, "mov dword ptr [r13], eax",
	  "\x41\x89\x45\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 13, -1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr [r12], eax",
	  "\x41\x89\x04\x24",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 12, -1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr [r12+r13*8+0x12345678], r9d",
	  "\x47\x89\x8c\xec\x78\x56\x34\x12",
	  MOV, DST, 1, 4, 4, 8, REG(9, 0), IMM(0, 0),
	  MEM(DS, 12, 13, 8, 0x12345678ull, 0), 0, 0),
	V(64, "mov dword ptr [rip+0x100], eax",
	  "\x89\x05\x00\x01\x00\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 256, 1), 0, 0),
	V(64, "mov dword ptr [rip-0x20], r14d",
	  "\x44\x89\x35\xe0\xff\xff\xff",
	  MOV, DST, 1, 4, 4, 8, REG(14, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, -32, 1), 0, 0),
	V(64, "mov dword ptr [eip+0x100], eax",
	  "\x67\x89\x05\x00\x01\x00\x00",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 256, 1), 0, 0),
	V(64, "mov dword ptr [0x7ee00300], ecx",
	  "\x89\x0c\x25\x00\x03\xe0\x7e",
	  MOV, DST, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x7ee00300ull, 0), 0, 0),
	V(64, "mov dword ptr [rax*2+0x1000], eax",
	  "\x89\x04\x45\x00\x10\x00\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, 0, 2, 0x1000ull, 0), 0, 0),
	V(64, "mov dword ptr [rbx+r14*1], eax",
	  "\x42\x89\x04\x33",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 14, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr fs:[rax], eax",
	  "\x64\x89\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(FS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov qword ptr gs:[0x10], rdx",
	  "\x65\x48\x89\x14\x25\x10\x00\x00\x00",
	  MOV, DST, 1, 8, 8, 8, REG(2, 0), IMM(0, 0),
	  MEM(GS, -1, -1, 1, 16, 0), 0, 0),
	V(64, "mov dword ptr es:[rax], eax",
	  "\x26\x89\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr ss:[rax], eax",
	  "\x36\x89\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr [eax+ecx], edx",
	  "\x67\x89\x14\x08",
	  MOV, DST, 1, 4, 4, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, 1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr [ebp], edx",
	  "\x67\x89\x55\x00",
	  MOV, DST, 1, 4, 4, 4, REG(2, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, 0, 0), 0, 0),
	V(64, "mov cl, byte ptr [rax]",
	  "\x8a\x08",
	  MOV, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov bh, byte ptr [rsi]",
	  "\x8a\x3e",
	  MOV, SRC, 0, 1, 1, 8, REG(3, 1), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "mov dil, byte ptr [rsi]",
	  "\x40\x8a\x3e",
	  MOV, SRC, 0, 1, 1, 8, REG(7, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "mov r11b, byte ptr [rsi+rdi*2]",
	  "\x44\x8a\x1c\x7e",
	  MOV, SRC, 0, 1, 1, 8, REG(11, 0), IMM(0, 0),
	  MEM(DS, 6, 7, 2, 0, 0), 0, 0),
	V(64, "mov ax, word ptr [rsi]",
	  "\x66\x8b\x06",
	  MOV, SRC, 0, 2, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "mov eax, dword ptr [rsi]",
	  "\x8b\x06",
	  MOV, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "mov rax, qword ptr [rsi]",
	  "\x48\x8b\x06",
	  MOV, SRC, 0, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "mov r10, qword ptr [r11+0x7f]",
	  "\x4d\x8b\x53\x7f",
	  MOV, SRC, 0, 8, 8, 8, REG(10, 0), IMM(0, 0),
	  MEM(DS, 11, -1, 1, 127, 0), 0, 0),
	V(64, "mov r10d, dword ptr [r11-0x80]",
	  "\x45\x8b\x53\x80",
	  MOV, SRC, 0, 4, 4, 8, REG(10, 0), IMM(0, 0),
	  MEM(DS, 11, -1, 1, -128, 0), 0, 0),
	V(64, "mov r15, qword ptr [r15+r15*8-0x80000000]",
	  "\x4f\x8b\xbc\xff\x00\x00\x00\x80",
	  MOV, SRC, 0, 8, 8, 8, REG(15, 0), IMM(0, 0),
	  MEM(DS, 15, 15, 8, -0x80000000ll, 0), 0, 0),
	/* 64-bit: MOV C6/C7 immediate */
	V(64, "mov byte ptr [rax], 0x80",
	  "\xc6\x00\x80",
	  MOV, DST, 1, 1, 1, 8, REG(-1, 0), IMM(1, -128),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov word ptr [rax], 0x1234",
	  "\x66\xc7\x00\x34\x12",
	  MOV, DST, 1, 2, 2, 8, REG(-1, 0), IMM(1, 0x1234ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov dword ptr [rax], 0x89abcdef",
	  "\xc7\x00\xef\xcd\xab\x89",
	  MOV, DST, 1, 4, 4, 8, REG(-1, 0), IMM(1, -0x76543211ll),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov qword ptr [rax], -1",
	  "\x48\xc7\x00\xff\xff\xff\xff",
	  MOV, DST, 1, 8, 8, 8, REG(-1, 0), IMM(1, -1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "mov qword ptr [rax+8], 0x7fffffff",
	  "\x48\xc7\x40\x08\xff\xff\xff\x7f",
	  MOV, DST, 1, 8, 8, 8, REG(-1, 0), IMM(1, 0x7fffffffull),
	  MEM(DS, 0, -1, 1, 8, 0), 0, 0),
	V(64, "mov byte ptr [rip+0x10], 0x7f",
	  "\xc6\x05\x10\x00\x00\x00\x7f",
	  MOV, DST, 1, 1, 1, 8, REG(-1, 0), IMM(1, 127),
	  MEM(DS, -1, -1, 1, 16, 1), 0, 0),
	V(64, "mov dword ptr [rip+0x10], 0x12345678",
	  "\xc7\x05\x10\x00\x00\x00\x78\x56\x34\x12",
	  MOV, DST, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, -1, -1, 1, 16, 1), 0, 0),
	/* 64-bit: MOV A0-A3 moffs */
	V(64, "movabs al, byte ptr [0x1122334455667788]",
	  "\xa0\x88\x77\x66\x55\x44\x33\x22\x11",
	  MOV, SRC, 0, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1122334455667788ull, 0), 0, 0),
	V(64, "movabs eax, dword ptr [0xfffffffffee00020]",
	  "\xa1\x20\x00\xe0\xfe\xff\xff\xff\xff",
	  MOV, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0xfffffffffee00020ull, 0), 0, 0),
	V(64, "movabs rax, qword ptr [0x1000]",
	  "\x48\xa1\x00\x10\x00\x00\x00\x00\x00\x00",
	  MOV, SRC, 0, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1000ull, 0), 0, 0),
	V(64, "movabs ax, word ptr [0x1000]",
	  "\x66\xa1\x00\x10\x00\x00\x00\x00\x00\x00",
	  MOV, SRC, 0, 2, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1000ull, 0), 0, 0),
	V(64, "movabs byte ptr [0x1122334455667788], al",
	  "\xa2\x88\x77\x66\x55\x44\x33\x22\x11",
	  MOV, DST, 1, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1122334455667788ull, 0), 0, 0),
	V(64, "movabs dword ptr [0xfee00000], eax",
	  "\xa3\x00\x00\xe0\xfe\x00\x00\x00\x00",
	  MOV, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0xfee00000ull, 0), 0, 0),
	V(64, "movabs qword ptr [0x8000000000000000], rax",
	  "\x48\xa3\x00\x00\x00\x00\x00\x00\x00\x80",
	  MOV, DST, 1, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x8000000000000000ull, 0), 0, 0),
	V(64, "movabs eax, dword ptr fs:[0x1122334455667788]",
	  "\x64\xa1\x88\x77\x66\x55\x44\x33\x22\x11",
	  MOV, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(FS, -1, -1, 1, 0x1122334455667788ull, 0), 0, 0),
	V(64, "addr32 movabs eax, dword ptr [0x12345678]",
	  "\x67\xa1\x78\x56\x34\x12",
	  MOV, SRC, 0, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x12345678ull, 0), 0, 0),
	/* 64-bit: MOVZX, MOVSX, MOVSXD */
	V(64, "movzx eax, byte ptr [rbx]",
	  "\x0f\xb6\x03",
	  MOVZX, SRC, 0, 4, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movzx eax, word ptr [rbx]",
	  "\x0f\xb7\x03",
	  MOVZX, SRC, 0, 4, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movzx rax, byte ptr [rbx]",
	  "\x48\x0f\xb6\x03",
	  MOVZX, SRC, 0, 8, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movzx r9, word ptr [r10+4]",
	  "\x4d\x0f\xb7\x4a\x04",
	  MOVZX, SRC, 0, 8, 2, 8, REG(9, 0), IMM(0, 0),
	  MEM(DS, 10, -1, 1, 4, 0), 0, 0),
	V(64, "movzx ax, byte ptr [rbx]",
	  "\x66\x0f\xb6\x03",
	  MOVZX, SRC, 0, 2, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movzx ax, word ptr [rbx]",
	  "\x66\x0f\xb7\x03",
	  MOVZX, SRC, 0, 2, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movsx eax, byte ptr [rbx]",
	  "\x0f\xbe\x03",
	  MOVSX, SRC, 0, 4, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movsx rax, word ptr [rbx]",
	  "\x48\x0f\xbf\x03",
	  MOVSX, SRC, 0, 8, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movsx ax, byte ptr [rbx]",
	  "\x66\x0f\xbe\x03",
	  MOVSX, SRC, 0, 2, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movsx r12d, byte ptr [rip+0x40]",
	  "\x44\x0f\xbe\x25\x40\x00\x00\x00",
	  MOVSX, SRC, 0, 4, 1, 8, REG(12, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 64, 1), 0, 0),
	V(64, "movsxd rax, dword ptr [rbx]",
	  "\x48\x63\x03",
	  MOVSX, SRC, 0, 8, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(64, "movsxd r8, dword ptr [rip+0x20]",
	  "\x4c\x63\x05\x20\x00\x00\x00",
	  MOVSX, SRC, 0, 8, 4, 8, REG(8, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 32, 1), 0, 0),
	V(64, "movsxd eax, dword ptr [rbx]",
	  "\x63\x03",
	  MOVSX, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	/* 64-bit: ALU in all four ModRM forms and 80/81/83 */
	V(64, "add byte ptr [rax], cl",
	  "\x00\x08",
	  ADD, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add dword ptr [rax], ecx",
	  "\x01\x08",
	  ADD, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add cl, byte ptr [rax]",
	  "\x02\x08",
	  ADD, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add rcx, qword ptr [rax]",
	  "\x48\x03\x08",
	  ADD, SRC, 0, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add byte ptr [rax], 0x12",
	  "\x80\x00\x12",
	  ADD, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, 18),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add dword ptr [rax], 0x12345678",
	  "\x81\x00\x78\x56\x34\x12",
	  ADD, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add word ptr [rax], 0x1234",
	  "\x66\x81\x00\x34\x12",
	  ADD, BOTH, 1, 2, 2, 8, REG(-1, 0), IMM(1, 0x1234ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add qword ptr [rax], -2",
	  "\x48\x83\x00\xfe",
	  ADD, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(1, -2),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "add dword ptr [rax+rbx], 0x7f",
	  "\x83\x04\x18\x7f",
	  ADD, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 127),
	  MEM(DS, 0, 3, 1, 0, 0), 0, 0),
	V(64, "or byte ptr [rax], dh",
	  "\x08\x30",
	  OR, BOTH, 1, 1, 1, 8, REG(2, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or word ptr [rax], r9w",
	  "\x66\x44\x09\x08",
	  OR, BOTH, 1, 2, 2, 8, REG(9, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or sil, byte ptr [rax]",
	  "\x40\x0a\x30",
	  OR, SRC, 0, 1, 1, 8, REG(6, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or ecx, dword ptr [rax]",
	  "\x0b\x08",
	  OR, SRC, 0, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or byte ptr [rax], 0x80",
	  "\x80\x08\x80",
	  OR, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, -128),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or dword ptr [rax], 0x100",
	  "\x81\x08\x00\x01\x00\x00",
	  OR, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 256),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "or qword ptr [rax], 1",
	  "\x48\x83\x08\x01",
	  OR, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc byte ptr [rax], cl",
	  "\x10\x08",
	  ADC, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc qword ptr [rax], rcx",
	  "\x48\x11\x08",
	  ADC, BOTH, 1, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc cl, byte ptr [rax]",
	  "\x12\x08",
	  ADC, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc ecx, dword ptr [rax]",
	  "\x13\x08",
	  ADC, SRC, 0, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc byte ptr [rax], 1",
	  "\x80\x10\x01",
	  ADC, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc dword ptr [rax], 0x10000",
	  "\x81\x10\x00\x00\x01\x00",
	  ADC, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x10000ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "adc word ptr [rax], -3",
	  "\x66\x83\x10\xfd",
	  ADC, BOTH, 1, 2, 2, 8, REG(-1, 0), IMM(1, -3),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb byte ptr [rax], cl",
	  "\x18\x08",
	  SBB, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb dword ptr [rax], ecx",
	  "\x19\x08",
	  SBB, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb cl, byte ptr [rax]",
	  "\x1a\x08",
	  SBB, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb r8, qword ptr [rax]",
	  "\x4c\x1b\x00",
	  SBB, SRC, 0, 8, 8, 8, REG(8, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb byte ptr [rax], 0xff",
	  "\x80\x18\xff",
	  SBB, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, -1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb dword ptr [rax], 0x10000",
	  "\x81\x18\x00\x00\x01\x00",
	  SBB, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x10000ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sbb dword ptr [rax], 5",
	  "\x83\x18\x05",
	  SBB, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 5),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and byte ptr [rax], cl",
	  "\x20\x08",
	  AND, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and dword ptr [rax], ecx",
	  "\x21\x08",
	  AND, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and ch, byte ptr [rax]",
	  "\x22\x28",
	  AND, SRC, 0, 1, 1, 8, REG(1, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and rcx, qword ptr [rax]",
	  "\x48\x23\x08",
	  AND, SRC, 0, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and byte ptr [rax], 0xfe",
	  "\x80\x20\xfe",
	  AND, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, -2),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and dword ptr [rax], 0xfffeffff",
	  "\x81\x20\xff\xff\xfe\xff",
	  AND, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, -0x10001ll),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "and qword ptr [rax], -16",
	  "\x48\x83\x20\xf0",
	  AND, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(1, -16),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub byte ptr [rax], cl",
	  "\x28\x08",
	  SUB, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub dword ptr [rax], ecx",
	  "\x29\x08",
	  SUB, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub cl, byte ptr [rax]",
	  "\x2a\x08",
	  SUB, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub rcx, qword ptr [rax]",
	  "\x48\x2b\x08",
	  SUB, SRC, 0, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub byte ptr [rax], 0x12",
	  "\x80\x28\x12",
	  SUB, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, 18),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub dword ptr [rax], 0x12345678",
	  "\x81\x28\x78\x56\x34\x12",
	  SUB, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "sub dword ptr [rax], 1",
	  "\x83\x28\x01",
	  SUB, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor byte ptr [rax], cl",
	  "\x30\x08",
	  XOR, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor dword ptr [rax], ecx",
	  "\x31\x08",
	  XOR, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor cl, byte ptr [rax]",
	  "\x32\x08",
	  XOR, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor rcx, qword ptr [rax]",
	  "\x48\x33\x08",
	  XOR, SRC, 0, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor byte ptr [rax], 0x12",
	  "\x80\x30\x12",
	  XOR, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, 18),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor qword ptr [rax], 0x12345678",
	  "\x48\x81\x30\x78\x56\x34\x12",
	  XOR, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xor dword ptr [rax], -1",
	  "\x83\x30\xff",
	  XOR, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(1, -1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp byte ptr [rax], cl",
	  "\x38\x08",
	  CMP, SRC, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp dword ptr [rax], ecx",
	  "\x39\x08",
	  CMP, SRC, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp cl, byte ptr [rax]",
	  "\x3a\x08",
	  CMP, SRC, 0, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp rcx, qword ptr [rax]",
	  "\x48\x3b\x08",
	  CMP, SRC, 0, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp byte ptr [rax], 0x12",
	  "\x80\x38\x12",
	  CMP, SRC, 1, 1, 1, 8, REG(-1, 0), IMM(1, 18),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp dword ptr [rax], 0x12345678",
	  "\x81\x38\x78\x56\x34\x12",
	  CMP, SRC, 1, 4, 4, 8, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp word ptr [rax], 0x1234",
	  "\x66\x81\x38\x34\x12",
	  CMP, SRC, 1, 2, 2, 8, REG(-1, 0), IMM(1, 0x1234ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "cmp qword ptr [rax], 0",
	  "\x48\x83\x38\x00",
	  CMP, SRC, 1, 8, 8, 8, REG(-1, 0), IMM(1, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "lock add dword ptr [rax], ecx",
	  "\xf0\x01\x08",
	  ADD, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 1),
	V(64, "lock or qword ptr [rax], 1",
	  "\xf0\x48\x83\x08\x01",
	  OR, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 1),
	V(64, "lock sub byte ptr [rdi], 0x10",
	  "\xf0\x80\x2f\x10",
	  SUB, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(1, 16),
	  MEM(DS, 7, -1, 1, 0, 0), 0, 1),
	V(64, "lock xor word ptr [rax], dx",
	  "\x66\xf0\x31\x10",
	  XOR, BOTH, 1, 2, 2, 8, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 1),
	/* 64-bit: TEST, BT, XCHG */
	V(64, "test byte ptr [rax], cl",
	  "\x84\x08",
	  TEST, SRC, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test dword ptr [rax], ecx",
	  "\x85\x08",
	  TEST, SRC, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test qword ptr [rax], rdx",
	  "\x48\x85\x10",
	  TEST, SRC, 1, 8, 8, 8, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test byte ptr [rax], bh",
	  "\x84\x38",
	  TEST, SRC, 1, 1, 1, 8, REG(3, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test byte ptr [rax], 0x80",
	  "\xf6\x00\x80",
	  TEST, SRC, 1, 1, 1, 8, REG(-1, 0), IMM(1, -128),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test dword ptr [rax], 0x80000000",
	  "\xf7\x00\x00\x00\x00\x80",
	  TEST, SRC, 1, 4, 4, 8, REG(-1, 0), IMM(1, -0x80000000ll),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test word ptr [rax], 0x8000",
	  "\x66\xf7\x00\x00\x80",
	  TEST, SRC, 1, 2, 2, 8, REG(-1, 0), IMM(1, -0x8000ll),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "test qword ptr [rax], 0x10",
	  "\x48\xf7\x00\x10\x00\x00\x00",
	  TEST, SRC, 1, 8, 8, 8, REG(-1, 0), IMM(1, 16),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt dword ptr [rax], ecx",
	  "\x0f\xa3\x08",
	  BT, SRC, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt qword ptr [rax], rcx",
	  "\x48\x0f\xa3\x08",
	  BT, SRC, 1, 8, 8, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt word ptr [rax], cx",
	  "\x66\x0f\xa3\x08",
	  BT, SRC, 1, 2, 2, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt dword ptr [rax], 31",
	  "\x0f\xba\x20\x1f",
	  BT, SRC, 1, 4, 4, 8, REG(-1, 0), IMM(1, 31),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt qword ptr [rax], 0x80",
	  "\x48\x0f\xba\x20\x80",
	  BT, SRC, 1, 8, 8, 8, REG(-1, 0), IMM(1, 128),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "bt word ptr [r9+0x30], 15",
	  "\x66\x41\x0f\xba\x61\x30\x0f",
	  BT, SRC, 1, 2, 2, 8, REG(-1, 0), IMM(1, 15),
	  MEM(DS, 9, -1, 1, 48, 0), 0, 0),
	V(64, "xchg byte ptr [rax], cl",
	  "\x86\x08",
	  XCHG, BOTH, 1, 1, 1, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xchg dword ptr [rax], ecx",
	  "\x87\x08",
	  XCHG, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xchg qword ptr [rax], r8",
	  "\x4c\x87\x00",
	  XCHG, BOTH, 1, 8, 8, 8, REG(8, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xchg byte ptr [rax], ah",
	  "\x86\x20",
	  XCHG, BOTH, 1, 1, 1, 8, REG(0, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "xchg word ptr [rax], si",
	  "\x66\x87\x30",
	  XCHG, BOTH, 1, 2, 2, 8, REG(6, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(64, "lock xchg dword ptr [rax], ecx",
	  "\xf0\x87\x08",
	  XCHG, BOTH, 1, 4, 4, 8, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 1),
	/* 64-bit: string instructions */
	V(64, "stosb",
	  "\xaa",
	  STOS, DST, 1, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(64, "stosw",
	  "\x66\xab",
	  STOS, DST, 1, 2, 2, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(64, "stosd",
	  "\xab",
	  STOS, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(64, "stosq",
	  "\x48\xab",
	  STOS, DST, 1, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(64, "rep stosd",
	  "\xf3\xab",
	  STOS, DST, 1, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	V(64, "rep stosq",
	  "\xf3\x48\xab",
	  STOS, DST, 1, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	V(64, "repne stosb",
	  "\xf2\xaa",
	  STOS, DST, 1, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 2, 0),
	V(64, "addr32 stosb",
	  "\x67\xaa",
	  STOS, DST, 1, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(64, "lodsb",
	  "\xac",
	  LODS, SRC, 0, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "lodsd",
	  "\xad",
	  LODS, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "lodsq",
	  "\x48\xad",
	  LODS, SRC, 0, 8, 8, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "rep lodsb",
	  "\xf3\xac",
	  LODS, SRC, 0, 1, 1, 8, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 1, 0),
	V(64, "lods dword ptr fs:[rsi]",
	  "\x64\xad",
	  LODS, SRC, 0, 4, 4, 8, REG(0, 0), IMM(0, 0),
	  MEM(FS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "movsb",
	  "\xa4",
	  MOVS, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "movsd",
	  "\xa5",
	  MOVS, BOTH, 1, 4, 4, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "movsq",
	  "\x48\xa5",
	  MOVS, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "rep movsb",
	  "\xf3\xa4",
	  MOVS, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 1, 0),
	V(64, "rep movsq",
	  "\xf3\x48\xa5",
	  MOVS, BOTH, 1, 8, 8, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 1, 0),
	V(64, "movs byte ptr es:[rdi], byte ptr fs:[rsi]",
	  "\x64\xa4",
	  MOVS, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(0, 0),
	  MEM(FS, 6, -1, 1, 0, 0), 0, 0),
	V(64, "movs byte ptr es:[rdi], byte ptr es:[rsi]",
	  "\x26\xa4",
	  MOVS, BOTH, 1, 1, 1, 8, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	/* 32-bit mode */
	V(32, "mov dword ptr [ebx+ecx*4+0x10], eax",
	  "\x89\x44\x8b\x10",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 1, 4, 16, 0), 0, 0),
	V(32, "mov byte ptr [eax], ah",
	  "\x88\x20",
	  MOV, DST, 1, 1, 1, 4, REG(0, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov byte ptr [eax], bl",
	  "\x88\x18",
	  MOV, DST, 1, 1, 1, 4, REG(3, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr [0x1000], ecx",
	  "\x89\x0d\x00\x10\x00\x00",
	  MOV, DST, 1, 4, 4, 4, REG(1, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1000ull, 0), 0, 0),
	V(32, "mov dword ptr [0xfee000b0], ecx",
	  "\x89\x0d\xb0\x00\xe0\xfe",
	  MOV, DST, 1, 4, 4, 4, REG(1, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, -0x11fff50ll, 0), 0, 0),
	V(32, "mov eax, dword ptr [0xfee00020]",
	  "\xa1\x20\x00\xe0\xfe",
	  MOV, SRC, 0, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0xfee00020ull, 0), 0, 0),
	V(32, "mov al, byte ptr [0x10]",
	  "\xa0\x10\x00\x00\x00",
	  MOV, SRC, 0, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 16, 0), 0, 0),
	V(32, "mov dword ptr [0xfec00000], eax",
	  "\xa3\x00\x00\xc0\xfe",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0xfec00000ull, 0), 0, 0),
	V(32, "mov word ptr [0x10], ax",
	  "\x66\xa3\x10\x00\x00\x00",
	  MOV, DST, 1, 2, 2, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 16, 0), 0, 0),
	V(32, "mov dword ptr [ebp+8], eax",
	  "\x89\x45\x08",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, 8, 0), 0, 0),
	V(32, "mov dword ptr [esp], eax",
	  "\x89\x04\x24",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(SS, 4, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr [esp+ebp*2], eax",
	  "\x89\x04\x6c",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(SS, 4, 5, 2, 0, 0), 0, 0),
	V(32, "mov dword ptr [ebp+esi*4-4], eax",
	  "\x89\x44\xb5\xfc",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, 6, 4, -4, 0), 0, 0),
	V(32, "mov word ptr [eax], dx",
	  "\x66\x89\x10",
	  MOV, DST, 1, 2, 2, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr [bx+si], eax",
	  "\x67\x89\x00",
	  MOV, DST, 1, 4, 4, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 6, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr fs:[eax], eax",
	  "\x64\x89\x00",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(FS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr es:[eax], eax",
	  "\x26\x89\x00",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr cs:[ebp], eax",
	  "\x2e\x89\x45\x00",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(CS, 5, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr ds:[ebp], eax",
	  "\x3e\x89\x45\x00",
	  MOV, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 5, -1, 1, 0, 0), 0, 0),
	V(32, "mov esi, dword ptr [edi+0x300]",
	  "\x8b\xb7\x00\x03\x00\x00",
	  MOV, SRC, 0, 4, 4, 4, REG(6, 0), IMM(0, 0),
	  MEM(DS, 7, -1, 1, 768, 0), 0, 0),
	V(32, "mov dh, byte ptr [edi]",
	  "\x8a\x37",
	  MOV, SRC, 0, 1, 1, 4, REG(2, 1), IMM(0, 0),
	  MEM(DS, 7, -1, 1, 0, 0), 0, 0),
	V(32, "mov dword ptr [eax], 0x12345678",
	  "\xc7\x00\x78\x56\x34\x12",
	  MOV, DST, 1, 4, 4, 4, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov word ptr [eax], 0xffff",
	  "\x66\xc7\x00\xff\xff",
	  MOV, DST, 1, 2, 2, 4, REG(-1, 0), IMM(1, -1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "mov byte ptr [eax+0x20], 0x1",
	  "\xc6\x40\x20\x01",
	  MOV, DST, 1, 1, 1, 4, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 32, 0), 0, 0),
	V(32, "movzx eax, byte ptr [ecx]",
	  "\x0f\xb6\x01",
	  MOVZX, SRC, 0, 4, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 1, -1, 1, 0, 0), 0, 0),
	V(32, "movsx eax, word ptr [ecx]",
	  "\x0f\xbf\x01",
	  MOVSX, SRC, 0, 4, 2, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 1, -1, 1, 0, 0), 0, 0),
	V(32, "movzx ax, byte ptr [ecx]",
	  "\x66\x0f\xb6\x01",
	  MOVZX, SRC, 0, 2, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 1, -1, 1, 0, 0), 0, 0),
	V(32, "movsx edx, byte ptr [ecx+edx]",
	  "\x0f\xbe\x14\x11",
	  MOVSX, SRC, 0, 4, 1, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 1, 2, 1, 0, 0), 0, 0),
	V(32, "add dword ptr [eax], ecx",
	  "\x01\x08",
	  ADD, BOTH, 1, 4, 4, 4, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "sub ecx, dword ptr [eax]",
	  "\x2b\x08",
	  SUB, SRC, 0, 4, 4, 4, REG(1, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "cmp dword ptr [eax], 5",
	  "\x83\x38\x05",
	  CMP, SRC, 1, 4, 4, 4, REG(-1, 0), IMM(1, 5),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "and byte ptr [eax], 0xfe",
	  "\x80\x20\xfe",
	  AND, BOTH, 1, 1, 1, 4, REG(-1, 0), IMM(1, -2),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "or word ptr [eax], 0x100",
	  "\x66\x81\x08\x00\x01",
	  OR, BOTH, 1, 2, 2, 4, REG(-1, 0), IMM(1, 256),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "xor eax, dword ptr [ebx]",
	  "\x33\x03",
	  XOR, SRC, 0, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(32, "adc dword ptr [eax], 0x80000000",
	  "\x81\x10\x00\x00\x00\x80",
	  ADC, BOTH, 1, 4, 4, 4, REG(-1, 0), IMM(1, -0x80000000ll),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "sbb al, byte ptr [ebx]",
	  "\x1a\x03",
	  SBB, SRC, 0, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(32, "cmp al, byte ptr [esi]",
	  "\x3a\x06",
	  CMP, SRC, 0, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(32, "lock add dword ptr [eax], 1",
	  "\xf0\x83\x00\x01",
	  ADD, BOTH, 1, 4, 4, 4, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 1),
	V(32, "lock and dword ptr [ebx], ecx",
	  "\xf0\x21\x0b",
	  AND, BOTH, 1, 4, 4, 4, REG(1, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 1),
	V(32, "test dword ptr [eax], 1",
	  "\xf7\x00\x01\x00\x00\x00",
	  TEST, SRC, 1, 4, 4, 4, REG(-1, 0), IMM(1, 1),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "test ah, byte ptr [eax]",
	  "\x84\x20",
	  TEST, SRC, 1, 1, 1, 4, REG(0, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "bt dword ptr [eax], 5",
	  "\x0f\xba\x20\x05",
	  BT, SRC, 1, 4, 4, 4, REG(-1, 0), IMM(1, 5),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "bt dword ptr [eax], edx",
	  "\x0f\xa3\x10",
	  BT, SRC, 1, 4, 4, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "bt word ptr [eax], dx",
	  "\x66\x0f\xa3\x10",
	  BT, SRC, 1, 2, 2, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "xchg dword ptr [eax], ebx",
	  "\x87\x18",
	  XCHG, BOTH, 1, 4, 4, 4, REG(3, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "xchg byte ptr [eax], dh",
	  "\x86\x30",
	  XCHG, BOTH, 1, 1, 1, 4, REG(2, 1), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(32, "stosd",
	  "\xab",
	  STOS, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(32, "rep stosb",
	  "\xf3\xaa",
	  STOS, DST, 1, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	V(32, "lodsw",
	  "\x66\xad",
	  LODS, SRC, 0, 2, 2, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(32, "movsd",
	  "\xa5",
	  MOVS, BOTH, 1, 4, 4, 4, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(32, "rep movsb",
	  "\xf3\xa4",
	  MOVS, BOTH, 1, 1, 1, 4, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 1, 0),
	V(32, "movs byte ptr es:[edi], byte ptr es:[esi]",
	  "\x26\xa4",
	  MOVS, BOTH, 1, 1, 1, 4, REG(-1, 0), IMM(0, 0),
	  MEM(ES, 6, -1, 1, 0, 0), 0, 0),
	V(32, "addr16 stosb",
	  "\x67\xaa",
	  STOS, DST, 1, 1, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(32, "rep stosd",
	  "\xf3\xab",
	  STOS, DST, 1, 4, 4, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	/* 16-bit mode (real, virtual-8086, 16-bit segments) */
	V(16, "mov word ptr [bx+si], ax",
	  "\x89\x00",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 6, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [bx+di+4], ax",
	  "\x89\x41\x04",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, 7, 1, 4, 0), 0, 0),
	V(16, "mov word ptr [bp+si], ax",
	  "\x89\x02",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, 6, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [bp+di-2], ax",
	  "\x89\x43\xfe",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, 7, 1, -2, 0), 0, 0),
	V(16, "mov word ptr [si], ax",
	  "\x89\x04",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [di], cx",
	  "\x89\x0d",
	  MOV, DST, 1, 2, 2, 2, REG(1, 0), IMM(0, 0),
	  MEM(DS, 7, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [bp+0x10], ax",
	  "\x89\x46\x10",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, 16, 0), 0, 0),
	V(16, "mov word ptr [bp], ax",
	  "\x89\x46\x00",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [bx], ax",
	  "\x89\x07",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [0x1234], cx",
	  "\x89\x0e\x34\x12",
	  MOV, DST, 1, 2, 2, 2, REG(1, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1234ull, 0), 0, 0),
	V(16, "mov word ptr [bp+0x1234], ax",
	  "\x89\x86\x34\x12",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, -1, 1, 0x1234ull, 0), 0, 0),
	V(16, "mov word ptr [bx-0x8000], ax",
	  "\x89\x87\x00\x80",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, -0x8000ll, 0), 0, 0),
	V(16, "mov word ptr [si+0x7fff], dx",
	  "\x89\x94\xff\x7f",
	  MOV, DST, 1, 2, 2, 2, REG(2, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0x7fffull, 0), 0, 0),
	V(16, "mov byte ptr [bx], ah",
	  "\x88\x27",
	  MOV, DST, 1, 1, 1, 2, REG(0, 1), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov byte ptr [bx+si], dl",
	  "\x88\x10",
	  MOV, DST, 1, 1, 1, 2, REG(2, 0), IMM(0, 0),
	  MEM(DS, 3, 6, 1, 0, 0), 0, 0),
	V(16, "mov ax, word ptr [0x1234]",
	  "\xa1\x34\x12",
	  MOV, SRC, 0, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 0x1234ull, 0), 0, 0),
	V(16, "mov al, byte ptr [0x10]",
	  "\xa0\x10\x00",
	  MOV, SRC, 0, 1, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 16, 0), 0, 0),
	V(16, "mov word ptr [0x20], ax",
	  "\xa3\x20\x00",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 32, 0), 0, 0),
	V(16, "mov dword ptr [bx], eax",
	  "\x66\x89\x07",
	  MOV, DST, 1, 4, 4, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov eax, dword ptr [0x300]",
	  "\x66\xa1\x00\x03",
	  MOV, SRC, 0, 4, 4, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, -1, -1, 1, 768, 0), 0, 0),
	V(16, "mov word ptr [eax+ecx*2], dx",
	  "\x67\x89\x14\x48",
	  MOV, DST, 1, 2, 2, 4, REG(2, 0), IMM(0, 0),
	  MEM(DS, 0, 1, 2, 0, 0), 0, 0),
	V(16, "mov ax, word ptr [eax]",
	  "\x67\x8b\x00",
	  MOV, SRC, 0, 2, 2, 4, REG(0, 0), IMM(0, 0),
	  MEM(DS, 0, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr [bx], 0x1234",
	  "\xc7\x07\x34\x12",
	  MOV, DST, 1, 2, 2, 2, REG(-1, 0), IMM(1, 0x1234ull),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov dword ptr [bx], 0x12345678",
	  "\x66\xc7\x07\x78\x56\x34\x12",
	  MOV, DST, 1, 4, 4, 2, REG(-1, 0), IMM(1, 0x12345678ull),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov byte ptr [di], 0x80",
	  "\xc6\x05\x80",
	  MOV, DST, 1, 1, 1, 2, REG(-1, 0), IMM(1, -128),
	  MEM(DS, 7, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr es:[bx], ax",
	  "\x26\x89\x07",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 3, -1, 1, 0, 0), 0, 0),
	V(16, "mov word ptr cs:[bp], ax",
	  "\x2e\x89\x46\x00",
	  MOV, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(CS, 5, -1, 1, 0, 0), 0, 0),
	V(16, "movzx ax, byte ptr [bx]",
	  "\x0f\xb6\x07",
	  MOVZX, SRC, 0, 2, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "movsx eax, word ptr [bx]",
	  "\x66\x0f\xbf\x07",
	  MOVSX, SRC, 0, 4, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "movzx eax, byte ptr [bp+si]",
	  "\x66\x0f\xb6\x02",
	  MOVZX, SRC, 0, 4, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(SS, 5, 6, 1, 0, 0), 0, 0),
	V(16, "add word ptr [bx], 0x1234",
	  "\x81\x07\x34\x12",
	  ADD, BOTH, 1, 2, 2, 2, REG(-1, 0), IMM(1, 0x1234ull),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "add word ptr [bx], -1",
	  "\x83\x07\xff",
	  ADD, BOTH, 1, 2, 2, 2, REG(-1, 0), IMM(1, -1),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "cmp byte ptr [bx+si], 0x10",
	  "\x80\x38\x10",
	  CMP, SRC, 1, 1, 1, 2, REG(-1, 0), IMM(1, 16),
	  MEM(DS, 3, 6, 1, 0, 0), 0, 0),
	V(16, "sub ax, word ptr [bx]",
	  "\x2b\x07",
	  SUB, SRC, 0, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "or dword ptr [bx], 0x10000",
	  "\x66\x81\x0f\x00\x00\x01\x00",
	  OR, BOTH, 1, 4, 4, 2, REG(-1, 0), IMM(1, 0x10000ull),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "and byte ptr [bx], cl",
	  "\x20\x0f",
	  AND, BOTH, 1, 1, 1, 2, REG(1, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "xor word ptr [di], dx",
	  "\x31\x15",
	  XOR, BOTH, 1, 2, 2, 2, REG(2, 0), IMM(0, 0),
	  MEM(DS, 7, -1, 1, 0, 0), 0, 0),
	V(16, "test word ptr [bx], 0x8000",
	  "\xf7\x07\x00\x80",
	  TEST, SRC, 1, 2, 2, 2, REG(-1, 0), IMM(1, -0x8000ll),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "bt word ptr [bx], 3",
	  "\x0f\xba\x27\x03",
	  BT, SRC, 1, 2, 2, 2, REG(-1, 0), IMM(1, 3),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "bt dword ptr [bx], eax",
	  "\x66\x0f\xa3\x07",
	  BT, SRC, 1, 4, 4, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "xchg word ptr [bx], ax",
	  "\x87\x07",
	  XCHG, BOTH, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 0),
	V(16, "lock add word ptr [bx], ax",
	  "\xf0\x01\x07",
	  ADD, BOTH, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 3, -1, 1, 0, 0), 0, 1),
	V(16, "stosb",
	  "\xaa",
	  STOS, DST, 1, 1, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(16, "stosw",
	  "\xab",
	  STOS, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(16, "rep stosw",
	  "\xf3\xab",
	  STOS, DST, 1, 2, 2, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	V(16, "stosd",
	  "\x66\xab",
	  STOS, DST, 1, 4, 4, 2, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 0, 0),
	V(16, "lodsb",
	  "\xac",
	  LODS, SRC, 0, 1, 1, 2, REG(0, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(16, "movsw",
	  "\xa5",
	  MOVS, BOTH, 1, 2, 2, 2, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 0, 0),
	V(16, "rep movsb",
	  "\xf3\xa4",
	  MOVS, BOTH, 1, 1, 1, 2, REG(-1, 0), IMM(0, 0),
	  MEM(DS, 6, -1, 1, 0, 0), 1, 0),
	V(16, "addr32 rep stosb",
	  "\x67\xf3\xaa",
	  STOS, DST, 1, 1, 1, 4, REG(0, 0), IMM(0, 0),
	  MEM(ES, 7, -1, 1, 0, 0), 1, 0),
	V(16, "movs word ptr es:[di], word ptr ss:[si]",
	  "\x36\xa5",
	  MOVS, BOTH, 1, 2, 2, 2, REG(-1, 0), IMM(0, 0),
	  MEM(SS, 6, -1, 1, 0, 0), 0, 0),
};

#define NVEC (sizeof(vectors) / sizeof(vectors[0]))

/* Decode from a heap copy of exactly len bytes, so that ASan reports any
 * read past the end. */
static int decode(const void *bytes, size_t len, enum x86_cpu_mode mode,
		  struct x86_insn *in)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	int rc = x86_decode(copy, len, mode, in);
	free(copy);
	return rc;
}

#define DECODE(mode, lit, in) decode(lit, sizeof(lit) - 1, mode, in)

static void check_mem(const struct x86_mem_operand *m, enum x86_seg seg,
		      int base, int index, uint8_t scale, int64_t disp,
		      bool rip_rel)
{
	assert_int_equal(m->seg, seg);
	assert_int_equal(m->base, base);
	assert_int_equal(m->index, index);
	if (index >= 0)
		assert_int_equal(m->scale, scale);
	assert_int_equal(m->disp, disp);
	assert_int_equal(m->rip_rel, rip_rel);
}

/* Compare one field; on a mismatch name the vector, then fail. */
#define EXPECT(v, got, want) do { \
	if ((int64_t)(got) != (int64_t)(want)) { \
		print_error("%s: %s is %#llx, expected %#llx\n", (v)->text, \
			    #got, (unsigned long long)(got), \
			    (unsigned long long)(want)); \
		fail(); \
	} \
} while (0)

static void check_vector_mem(const struct vector *v,
			     const struct x86_mem_operand *m)
{
	EXPECT(v, m->seg, v->seg);
	EXPECT(v, m->base, v->base);
	EXPECT(v, m->index, v->index);
	if (v->index >= 0)
		EXPECT(v, m->scale, v->scale);
	EXPECT(v, m->disp, v->disp);
	EXPECT(v, m->rip_rel, v->rip_rel);
}

static void check_vector(const struct vector *v)
{
	struct x86_insn in;

	EXPECT(v, decode(v->bytes, v->len, v->mode, &in), 0);
	EXPECT(v, in.len, v->len);
	EXPECT(v, in.mode, v->mode);
	EXPECT(v, in.op, v->op);
	EXPECT(v, in.dir, v->dir);
	EXPECT(v, in.mem_first, v->mem_first);
	EXPECT(v, in.op_size, v->op_size);
	EXPECT(v, in.mem_size, v->mem_size);
	EXPECT(v, in.addr_size, v->addr_size);
	EXPECT(v, in.has_reg, v->reg >= 0);
	if (v->reg >= 0) {
		EXPECT(v, in.reg, v->reg);
		EXPECT(v, in.reg_high8, v->high8);
	}
	EXPECT(v, in.has_imm, v->has_imm);
	if (v->has_imm)
		EXPECT(v, in.imm, v->imm);
	check_vector_mem(v, &in.mem);
	if (v->op == X86_OP_MOVS) { /* the destination is always ES:[rDI] */
		EXPECT(v, in.mem2.seg, X86_SEG_ES);
		EXPECT(v, in.mem2.base, X86_RDI);
		EXPECT(v, in.mem2.index, -1);
	}
	EXPECT(v, in.rep, v->rep == 1 ? X86_REP_E :
			  v->rep == 2 ? X86_REP_NE : X86_REP_NONE);
	EXPECT(v, in.lock, v->lock);
}

static void test_vectors(void **state)
{
	for (size_t i = 0; i < NVEC; i++)
		check_vector(&vectors[i]);
}

/* Every supported opcode appears in the table (in some mode). */
static void test_every_opcode_covered(void **state)
{
	static const uint16_t opcodes[] = {
		0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0a, 0x0b,
		0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b,
		0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2a, 0x2b,
		0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b,
		0x63, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x8b, 0xa0, 0xa1, 0xa2, 0xa3,
		0xa4, 0xa5, 0xaa, 0xab, 0xac, 0xad, 0xc6, 0xc7,
		0xf6, 0xf7, 0x1a3, 0x1b6, 0x1b7, 0x1ba, 0x1be, 0x1bf,
	};
	for (size_t k = 0; k < sizeof(opcodes) / sizeof(opcodes[0]); k++) {
		bool seen = false;
		for (size_t i = 0; i < NVEC && !seen; i++) {
			struct x86_insn in;
			const struct vector *v = &vectors[i];
			assert_int_equal(decode(v->bytes, v->len, v->mode,
						&in), 0);
			seen = (in.map_0f ? 0x100 : 0) + in.opcode ==
			       opcodes[k];
		}
		if (!seen)
			print_error("opcode %#x not covered\n", opcodes[k]);
		assert_true(seen);
	}
}

static void test_truncated_at_every_length(void **state)
{
	struct x86_insn in;

	for (size_t i = 0; i < NVEC; i++) {
		const struct vector *v = &vectors[i];
		for (size_t cut = 0; cut < v->len; cut++)
			assert_int_equal(decode(v->bytes, cut, v->mode, &in),
					 X86_DECODE_TRUNCATED);
	}
}

/* Bytes after the instruction do not change the result. */
static void test_trailing_bytes_ignored(void **state)
{
	struct x86_insn in;
	uint8_t buf[32];

	for (size_t i = 0; i < NVEC; i++) {
		const struct vector *v = &vectors[i];
		memset(buf, 0x66, sizeof(buf));
		memcpy(buf, v->bytes, v->len);
		assert_int_equal(decode(buf, sizeof(buf), v->mode, &in), 0);
		assert_int_equal(in.len, v->len);
	}
}

static void test_rex_position_and_width(void **state)
{
	struct x86_insn in;

	/* REX.W beats 66. */
	assert_int_equal(DECODE(X86_MODE_64, "\x66\x48\x89\x00", &in), 0);
	assert_int_equal(in.op_size, 8);
	assert_int_equal(in.rex, 0x48);
	/* A REX followed by a legacy prefix is ignored. */
	assert_int_equal(DECODE(X86_MODE_64, "\x48\x66\x89\x00", &in), 0);
	assert_int_equal(in.op_size, 2);
	assert_int_equal(in.rex, 0);
	assert_int_equal(DECODE(X86_MODE_64, "\x41\x3e\x88\x20", &in), 0);
	check_mem(&in.mem, X86_SEG_DS, X86_RAX, -1, 1, 0, false);
	assert_true(in.reg_high8); /* AH: no REX in effect */
	/* Two REX: only the last counts. */
	assert_int_equal(DECODE(X86_MODE_64, "\x48\x40\x89\x00", &in), 0);
	assert_int_equal(in.op_size, 4);
	/* A bare REX (40) turns AH..BH into SPL..DIL. */
	assert_int_equal(DECODE(X86_MODE_64, "\x40\x88\x38", &in), 0);
	assert_int_equal(in.reg, X86_RDI);
	assert_false(in.reg_high8);
	/* REX.R reaches R12B, never a high byte. */
	assert_int_equal(DECODE(X86_MODE_64, "\x44\x88\x20", &in), 0);
	assert_int_equal(in.reg, X86_R12);
	assert_false(in.reg_high8);
	/* 40-4F are INC/DEC outside 64-bit mode. */
	assert_int_equal(DECODE(X86_MODE_32, "\x48\x89\x00", &in),
			 X86_DECODE_UNSUPPORTED);
	assert_int_equal(DECODE(X86_MODE_16, "\x40\x89\x00", &in),
			 X86_DECODE_UNSUPPORTED);
	/* A REX with no opcode after it is a truncated instruction. */
	assert_int_equal(DECODE(X86_MODE_64, "\x48", &in),
			 X86_DECODE_TRUNCATED);
}

static void test_modrm_special_cases(void **state)
{
	struct x86_insn in;

	/* SIB index 100b is "none" without REX.X (the scale is moot)... */
	assert_int_equal(DECODE(X86_MODE_64, "\x89\x04\x60", &in), 0);
	check_mem(&in.mem, X86_SEG_DS, X86_RAX, -1, 1, 0, false);
	/* ...and R12 with it. */
	assert_int_equal(DECODE(X86_MODE_64, "\x4a\x89\x04\xa0", &in), 0);
	check_mem(&in.mem, X86_SEG_DS, X86_RAX, X86_R12, 4, 0, false);
	/* mod 0, rm 101b stays RIP-relative with REX.B (not R13)... */
	assert_int_equal(DECODE(X86_MODE_64, "\x41\x89\x05\x10\x00\x00\x00",
				&in), 0);
	check_mem(&in.mem, X86_SEG_DS, -1, -1, 1, 0x10, true);
	/* ...and SIB base 101b with mod 0 stays "no base" with REX.B. */
	assert_int_equal(DECODE(X86_MODE_64,
				"\x41\x89\x04\x25\x00\x10\x00\x00", &in), 0);
	check_mem(&in.mem, X86_SEG_DS, -1, -1, 1, 0x1000, false);
	/* rm 100b with REX.B still means SIB: [R12]. */
	assert_int_equal(DECODE(X86_MODE_64, "\x41\x89\x04\x24", &in), 0);
	check_mem(&in.mem, X86_SEG_DS, X86_R12, -1, 1, 0, false);
	/* SIB base 101b with mod 1 is RBP + disp8 (default SS). */
	assert_int_equal(DECODE(X86_MODE_32, "\x89\x44\x25\xf0", &in), 0);
	check_mem(&in.mem, X86_SEG_SS, X86_RBP, -1, 1, -16, false);
	/* 32-bit mode: mod 0, rm 101b is an absolute disp32. */
	assert_int_equal(DECODE(X86_MODE_32, "\x89\x05\x00\x00\xc0\xfe", &in),
			 0);
	check_mem(&in.mem, X86_SEG_DS, -1, -1, 1, -0x1400000, false);
	/* MOVSXD with 66: a 16-bit move. */
	assert_int_equal(DECODE(X86_MODE_64, "\x66\x63\x03", &in), 0);
	assert_int_equal(in.op, X86_OP_MOVSX);
	assert_int_equal(in.op_size, 2);
	assert_int_equal(in.mem_size, 2);
}

static void test_prefix_groups(void **state)
{
	struct x86_insn in;

	/* The last segment override wins (SDM leaves several from one group
	 * unspecified; this is the decoder's documented choice). */
	assert_int_equal(DECODE(X86_MODE_32, "\x64\x65\x89\x00", &in), 0);
	assert_int_equal(in.mem.seg, X86_SEG_GS);
	/* In 64-bit mode CS/DS/ES/SS overrides change nothing... */
	assert_int_equal(DECODE(X86_MODE_64, "\x2e\x89\x45\x00", &in), 0);
	assert_int_equal(in.mem.seg, X86_SEG_SS); /* [rbp]: default SS */
	/* ...but FS and GS do, also for a string source... */
	assert_int_equal(DECODE(X86_MODE_64, "\x65\xa4", &in), 0);
	assert_int_equal(in.mem.seg, X86_SEG_GS);
	/* ...and never for the string destination. */
	assert_int_equal(in.mem2.seg, X86_SEG_ES);
	assert_int_equal(DECODE(X86_MODE_32, "\x64\xaa", &in), 0);
	assert_int_equal(in.mem.seg, X86_SEG_ES);
	/* The last of F2/F3 wins. */
	assert_int_equal(DECODE(X86_MODE_64, "\xf3\xf2\xaa", &in), 0);
	assert_int_equal(in.rep, X86_REP_NE);
	/* 66 and 67 are recorded; 66 in 16-bit mode selects 32 bits. */
	assert_int_equal(DECODE(X86_MODE_16, "\x66\x67\x89\x00", &in), 0);
	assert_true(in.opsize_prefix && in.addrsize_prefix);
	assert_int_equal(in.op_size, 4);
	assert_int_equal(in.addr_size, 4);
	check_mem(&in.mem, X86_SEG_DS, X86_RAX, -1, 1, 0, false);
	/* An F3 on a non-string instruction (XRELEASE) is recorded only. */
	assert_int_equal(DECODE(X86_MODE_64, "\xf3\x89\x00", &in), 0);
	assert_int_equal(in.op, X86_OP_MOV);
}

static void test_length_limit(void **state)
{
	uint8_t buf[32];
	struct x86_insn in;

	/* 13 prefixes + 89 00 = 15 bytes: the longest legal instruction. */
	memset(buf, 0x3e, sizeof(buf));
	buf[13] = 0x89, buf[14] = 0x00;
	assert_int_equal(decode(buf, 15, X86_MODE_32, &in), 0);
	assert_int_equal(in.len, 15);
	/* 14 prefixes + 89 00 = 16: #GP, even with all bytes present... */
	buf[13] = 0x3e, buf[14] = 0x89, buf[15] = 0x00;
	assert_int_equal(decode(buf, 16, X86_MODE_32, &in),
			 X86_DECODE_INVALID);
	/* ...but with only 14 given, the 15th could still end it. */
	assert_int_equal(decode(buf, 14, X86_MODE_32, &in),
			 X86_DECODE_TRUNCATED);
	/* Only prefixes, 15 or more of them. */
	memset(buf, 0x66, sizeof(buf));
	assert_int_equal(decode(buf, sizeof(buf), X86_MODE_64, &in),
			 X86_DECODE_INVALID);
	/* The immediate is what crosses the limit: 7 prefixes + C7 80
	 * disp32 imm32 = 17 bytes. */
	memset(buf, 0x2e, 7);
	memcpy(buf + 7, "\xc7\x80\x00\x01\x00\x00\x78\x56\x34\x12", 10);
	assert_int_equal(decode(buf, 17, X86_MODE_32, &in),
			 X86_DECODE_INVALID);
	assert_int_equal(decode(buf + 2, 15, X86_MODE_32, &in), 0);
	assert_int_equal(in.imm, 0x12345678);
}

static void test_invalid(void **state)
{
	struct x86_insn in;
	static const struct { const char *bytes; size_t len; } bad[] = {
#define B(s) { s, sizeof(s) - 1 }
		B("\xf0\x89\x00"),     /* LOCK MOV */
		B("\xf0\x8b\x00"),     /* LOCK MOV load */
		B("\xf0\x03\x00"),     /* LOCK ADD r, m: register destination */
		B("\xf0\x39\x00"),     /* LOCK CMP */
		B("\xf0\x83\x38\x01"), /* LOCK CMP imm */
		B("\xf0\x84\x00"),     /* LOCK TEST */
		B("\xf0\x0f\xa3\x00"), /* LOCK BT */
		B("\xf0\xaa"),         /* LOCK STOS */
		B("\xf0\xa4"),         /* LOCK MOVS */
		B("\xf0\xa3\x00\x10\x00\x00"), /* LOCK MOV moffs */
		B("\xf0\x01\xc8"),     /* LOCK with a register destination */
		B("\xc7\x08\x00\x00\x00\x00"), /* C7 /1 */
		B("\xc6\x38\x00"),     /* C6 /7 */
		B("\x0f\xba\x00\x01"), /* 0F BA /0 */
		B("\x0f\xba\x18\x01"), /* 0F BA /3 */
#undef B
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(decode(bad[i].bytes, bad[i].len, X86_MODE_32,
					&in), X86_DECODE_INVALID);
	assert_int_equal(DECODE(7, "\x89\x00", &in), X86_DECODE_INVALID);
}

static void test_unsupported(void **state)
{
	struct x86_insn in;
	static const struct { const char *bytes; size_t len; } no[] = {
#define B(s) { s, sizeof(s) - 1 }
		B("\x89\xc0"),         /* MOV eax, eax: no memory operand */
		B("\x8b\xc1"),
		B("\x01\xc8"),
		B("\xc7\xc0\x01\x00\x00\x00"),
		B("\x0f\xb6\xc4"),     /* MOVZX eax, ah */
		B("\x0f\xba\xe0\x01"), /* BT eax, 1 */
		B("\xf6\x10"),         /* NOT byte [eax] */
		B("\xf7\x08\x00\x00\x00\x00"), /* F7 /1 */
		B("\xf7\x30"),         /* DIV */
		B("\x0f\xba\x28\x01"), /* BTS */
		B("\x0f\xab\x00"),     /* BTS r */
		B("\x0f\xb1\x08"),     /* CMPXCHG */
		B("\xff\x00"),         /* INC */
		B("\x8d\x00"),         /* LEA */
		B("\x82\x00\x01"),     /* 82: the 80 alias */
		B("\x63\x00"),         /* ARPL outside 64-bit mode */
		B("\xa6"),             /* CMPS */
		B("\xae"),             /* SCAS */
		B("\x6c"),             /* INS */
		B("\x0f\x0b"),         /* UD2 */
		B("\x0f\x38\x00\x00"),
		B("\xc5\xf8\x77"),     /* VEX */
		B("\xf4"),             /* HLT */
		B("\x0f"),             /* 0F alone: truncated, checked below */
#undef B
	};
	size_t n = sizeof(no) / sizeof(no[0]);
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(decode(no[i].bytes, no[i].len, X86_MODE_32,
					&in), X86_DECODE_UNSUPPORTED);
	assert_int_equal(decode(no[n - 1].bytes, no[n - 1].len, X86_MODE_32,
				&in), X86_DECODE_TRUNCATED);
	assert_int_equal(decode("", 0, X86_MODE_64, &in),
			 X86_DECODE_TRUNCATED);
}

/* 16-bit forms: all eight rm encodings at mod 0 and their defaults. */
static void test_16bit_addressing_table(void **state)
{
	static const struct { int base, index; enum x86_seg seg; } t[8] = {
		{ X86_RBX, X86_RSI, X86_SEG_DS }, /* [bx+si] */
		{ X86_RBX, X86_RDI, X86_SEG_DS }, /* [bx+di] */
		{ X86_RBP, X86_RSI, X86_SEG_SS }, /* [bp+si] */
		{ X86_RBP, X86_RDI, X86_SEG_SS }, /* [bp+di] */
		{ X86_RSI, -1, X86_SEG_DS },      /* [si] */
		{ X86_RDI, -1, X86_SEG_DS },      /* [di] */
		{ -1, -1, X86_SEG_DS },           /* [disp16] */
		{ X86_RBX, -1, X86_SEG_DS },      /* [bx] */
	};
	struct x86_insn in;

	for (unsigned rm = 0; rm < 8; rm++) {
		uint8_t b[4] = { 0x89, (uint8_t)rm, 0x34, 0x12 };
		assert_int_equal(decode(b, sizeof(b), X86_MODE_16, &in), 0);
		assert_int_equal(in.len, rm == 6 ? 4 : 2);
		check_mem(&in.mem, t[rm].seg, t[rm].base, t[rm].index, 1,
			  rm == 6 ? 0x1234 : 0, false);
	}
}

static void test_op_names(void **state)
{
	assert_string_equal(x86_op_name(X86_OP_ADD), "add");
	assert_string_equal(x86_op_name(X86_OP_CMP), "cmp");
	assert_string_equal(x86_op_name(X86_OP_MOVS), "movs");
	assert_string_equal(x86_op_name(X86_OP_COUNT), "?");
	assert_string_equal(x86_op_name((enum x86_op)-1), "?");
}

static void test_cpu_mode_of(void **state)
{
	assert_int_equal(x86_cpu_mode_of(true, true, false), X86_MODE_64);
	assert_int_equal(x86_cpu_mode_of(true, false, true), X86_MODE_32);
	assert_int_equal(x86_cpu_mode_of(true, false, false), X86_MODE_16);
	assert_int_equal(x86_cpu_mode_of(false, true, true), X86_MODE_32);
	assert_int_equal(x86_cpu_mode_of(false, false, false), X86_MODE_16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_every_opcode_covered),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_trailing_bytes_ignored),
		cmocka_unit_test(test_rex_position_and_width),
		cmocka_unit_test(test_modrm_special_cases),
		cmocka_unit_test(test_prefix_groups),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_16bit_addressing_table),
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_cpu_mode_of),
	};
	return cmocka_run_group_tests_name("x86_decode", tests, NULL, NULL);
}
