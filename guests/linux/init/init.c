/*
 * init.c: PID 1 of Volt's Linux test guests (the /init of the initramfs).
 *
 * Built without a C library against the kernel's own nolibc
 * (tools/include/nolibc, pulled in with -include by
 * tools/linux-initramfs.sh): the binary is a few KB.
 *
 * It prints the marker the system tests wait for, runs the workload the
 * kernel command line names, then powers the machine off. Lines it prints
 * (each with one write(2), so kernel messages cannot split them):
 *
 *	VOLT-GUEST-INIT: reached userspace
 *	VOLT-GUEST-INIT: tsc <n>		the TSC right after (make bench)
 *	VOLT-WORK: spin <n> iterations/s	once a second (CLOCK_MONOTONIC)
 *	VOLT-WORK: crash (sysrq c)		then the kernel panics
 *	VOLT-WORK: crash failed ...		then none
 *	VOLT-WORK: hotplug cpu1 offline|online ok|failed ...
 *	VOLT-WORK: unknown workload <word>	then runs none
 *	VOLT-WORK: done
 *	VOLT-GUEST-INIT: powering off
 *
 * Command line: volt.workload=<name>[:<seconds>], name `none` (default),
 * `spin` (a CPU-bound loop, <seconds> defaults to 2) or `crash` (no
 * seconds: a kernel panic through /proc/sysrq-trigger; with panic=-1 on the
 * command line the kernel then resets the machine at once) or `hotplug`
 * (takes CPU 1 offline and back online through sysfs: the kernel parks it
 * and starts it again with INIT and start-up IPIs).
 *
 * Power off: Volt's exit port first (QEMU's isa-debug-exit protocol: a byte
 * written to port 0xf4 ends the machine with status (byte << 1) | 1), then
 * reboot(2). PID 1 must never return: the kernel panics when init exits.
 */

#define EXIT_PORT	 0xf4
#define NSEC_PER_SEC	 1000000000ull
#define SPIN_BATCH	 4096	/* loop iterations between two clock reads */
#define SPIN_DEFAULT_S	 2
#define SPIN_MAX_S	 86400
#define CMDLINE_MAX	 4096	/* x86 COMMAND_LINE_SIZE is 2048 */
#define WORKLOAD_KEY	 "volt.workload="

/* ---- output: one line, one write ---------------------------------- */

static char line_buf[160];
static unsigned int line_len;

/* The last byte stays free for line_end's newline. */
static void line_char(char c)
{
	if (line_len < sizeof(line_buf) - 1)
		line_buf[line_len++] = c;
}

static void line_str(const char *s)
{
	while (*s)
		line_char(*s++);
}

static void line_u64(unsigned long long v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		line_char(digits[--n]);
}

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long long)hi << 32) | lo;
}

static void line_end(void);

/* In Bochs one TSC tick is one instruction since power-on: the boot
 * benchmark compares this line natively and under Volt. */
static void say_tsc(void)
{
	unsigned long long tsc = rdtsc();

	line_str("VOLT-GUEST-INIT: tsc ");
	line_u64(tsc);
	line_end();
}

static void line_end(void)
{
	unsigned int done = 0;

	line_buf[line_len++] = '\n';
	while (done < line_len) {
		ssize_t n = write(1, line_buf + done, line_len - done);

		if (n <= 0)
			break;
		done += (unsigned int)n;
	}
	line_len = 0;
}

static void say(const char *s)
{
	line_str(s);
	line_end();
}

/* ---- console and file systems ------------------------------------- */

/*
 * The kernel opens /dev/console (a node in our cpio) as fds 0-2 before it
 * runs init; if that failed, open the console ourselves from devtmpfs.
 */
static void setup_console(void)
{
	static const char *const names[] = { "/dev/console", "/dev/ttyS0" };
	int fd = dup(1);

	/* Not auto-mounted on an initramfs (DEVTMPFS_MOUNT is for disks). */
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (fd >= 0) {
		close(fd);
		return;
	}
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fd = open(names[i], O_RDWR | O_NOCTTY, 0);
		if (fd >= 0)
			break;
	}
	if (fd < 0)
		return;	/* nowhere to print: still run and power off */
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* Read /proc/cmdline into buf (NUL-terminated); empty if unavailable. */
static void read_cmdline(char *buf, unsigned int size)
{
	unsigned int len = 0;
	ssize_t n = 0;
	int fd;

	buf[0] = 0;
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/proc/cmdline", O_RDONLY, 0);
	if (fd < 0) {
		say("VOLT-GUEST-INIT: no /proc/cmdline, workload none");
		return;
	}
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (unsigned int)n;
	buf[len] = 0;
	close(fd);
}

/* ---- command line ------------------------------------------------- */

enum workload_kind { WORK_NONE, WORK_SPIN, WORK_CRASH, WORK_HOTPLUG };

struct workload {
	enum workload_kind kind;
	unsigned int seconds;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0;
}

/* The value of the last key=value word in cmdline (copied to val). */
static int find_param(const char *cmdline, const char *key, char *val,
		      unsigned int size)
{
	unsigned int key_len = (unsigned int)strlen(key);
	int found = 0;

	for (const char *p = cmdline; *p; p++) {
		unsigned int n = 0;

		if ((p != cmdline && !is_space(p[-1])) ||
		    strncmp(p, key, key_len) != 0)
			continue;
		p += key_len;
		while (!is_space(p[n]) && n < size - 1) {
			val[n] = p[n];
			n++;
		}
		val[n] = 0;
		found = 1;
		p += n;
		if (!*p)
			break;	/* the value ended the line */
	}
	return found;
}

/* Decimal seconds, 0..SPIN_MAX_S; -1 if malformed. */
static long parse_seconds(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > SPIN_MAX_S)
			return -1;
	}
	return v;
}

/* `none`, `spin`, `spin:<seconds>` or `crash`; 0 if recognised. */
static int parse_workload(char *word, struct workload *w)
{
	char *colon = strchr(word, ':');
	long seconds = SPIN_DEFAULT_S;

	if (colon) {
		*colon = 0;
		seconds = parse_seconds(colon + 1);
		if (seconds < 0)
			return -1;
	}
	w->seconds = (unsigned int)seconds;
	if (!strcmp(word, "none"))
		w->kind = WORK_NONE;
	else if (!strcmp(word, "spin"))
		w->kind = WORK_SPIN;
	else if (!strcmp(word, "crash") && !colon)
		w->kind = WORK_CRASH;
	else if (!strcmp(word, "hotplug") && !colon)
		w->kind = WORK_HOTPLUG;
	else
		return -1;
	return 0;
}

static void choose_workload(const char *cmdline, struct workload *w)
{
	char word[64], shown[64];

	w->kind = WORK_NONE;
	w->seconds = 0;
	if (!find_param(cmdline, WORKLOAD_KEY, word, sizeof(word)))
		return;
	strcpy(shown, word);
	if (parse_workload(word, w) != 0) {
		w->kind = WORK_NONE;
		line_str("VOLT-WORK: unknown workload ");
		line_str(shown);
		line_end();
	}
}

/* ---- workloads ---------------------------------------------------- */

/* nolibc 6.1 has no clock_gettime(): call the system call itself. */
static unsigned long long monotonic_ns(void)
{
	struct timespec ts = { 0, 0 };

	my_syscall2(__NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * NSEC_PER_SEC +
	       (unsigned long long)ts.tv_nsec;
}

/* One batch of a linear congruential step the compiler cannot remove. */
static unsigned long long spin_batch(unsigned long long x)
{
	for (int i = 0; i < SPIN_BATCH; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

/*
 * Count loop iterations; once a second of guest time, print the rate over
 * the time since the last report (a little over a second: the clock is
 * read every SPIN_BATCH iterations).
 */
static void spin(unsigned int seconds)
{
	unsigned long long last = monotonic_ns(), count = 0, x = last;

	for (unsigned int reported = 0; reported < seconds;) {
		unsigned long long now;

		x = spin_batch(x);
		count += SPIN_BATCH;
		now = monotonic_ns();
		if (now - last < NSEC_PER_SEC)
			continue;
		line_str("VOLT-WORK: spin ");
		line_u64(count * NSEC_PER_SEC / (now - last));
		line_str(" iterations/s");
		line_end();
		count = 0;
		last = now;
		reported++;
	}
}

/* ---- power off ---------------------------------------------------- */

static void outb(unsigned char value, unsigned short port)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(value), "Nd"(port));
}

/* TCSBRK with a non-zero argument sends no break: it is tcdrain(). */
static void drain_console(void)
{
	ioctl(1, TCSBRK, (void *)1);
}

/*
 * Panic the kernel on purpose: 'c' written to /proc/sysrq-trigger makes it
 * call panic("sysrq triggered crash") (drivers/tty/sysrq.c; needs
 * CONFIG_MAGIC_SYSRQ, and proc mounted by read_cmdline). A write from
 * /proc ignores the sysrq key mask. The console is drained first: the
 * panic path prints kernel messages only, so bytes still queued in the tty
 * would be lost. The write returns only if the crash did not happen.
 */
static void crash(void)
{
	int fd;

	say("VOLT-WORK: crash (sysrq c)");
	drain_console();
	fd = open("/proc/sysrq-trigger", O_WRONLY, 0);
	if (fd < 0) {
		say("VOLT-WORK: crash failed: no /proc/sysrq-trigger");
		return;
	}
	write(fd, "c", 1);
	close(fd);
	say("VOLT-WORK: crash failed: the kernel survived sysrq c");
}

#define CPU1_ONLINE "/sys/devices/system/cpu/cpu1/online"

/* Write "0" or "1" to cpu1/online, read it back: whether it took. */
static int set_cpu1_online(char state)
{
	char back = '?';
	int fd = open(CPU1_ONLINE, O_RDWR, 0);
	if (fd < 0)
		return -1;
	int ok = write(fd, &state, 1) == 1;
	close(fd);
	fd = open(CPU1_ONLINE, O_RDONLY, 0);
	if (fd >= 0) {
		read(fd, &back, 1);
		close(fd);
	}
	return ok && back == state ? 0 : -1;
}

/* CPU 1 offline (the kernel parks it with interrupts off) and online
 * again (INIT, then start-up IPIs to a vCPU that already ran). */
static void hotplug(void)
{
	mkdir("/sys", 0555);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	say(set_cpu1_online('0') == 0 ? "VOLT-WORK: hotplug cpu1 offline ok"
				       : "VOLT-WORK: hotplug cpu1 offline failed");
	say(set_cpu1_online('1') == 0 ? "VOLT-WORK: hotplug cpu1 online ok"
				       : "VOLT-WORK: hotplug cpu1 online failed");
}

static void __attribute__((noreturn)) power_off(void)
{
	say("VOLT-GUEST-INIT: powering off");
	drain_console();
	/* Without the port (or without X86_IOPL_IOPERM) ioperm fails: skip. */
	if (my_syscall3(__NR_ioperm, EXIT_PORT, 1, 1) == 0)
		outb(0, EXIT_PORT);
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		my_syscall0(__NR_pause);
}

int main(void)
{
	static char cmdline[CMDLINE_MAX];
	struct workload work;

	setup_console();
	say("VOLT-GUEST-INIT: reached userspace");
	say_tsc();
	read_cmdline(cmdline, sizeof(cmdline));
	choose_workload(cmdline, &work);
	if (work.kind == WORK_SPIN)
		spin(work.seconds);
	else if (work.kind == WORK_CRASH)
		crash();
	else if (work.kind == WORK_HOTPLUG)
		hotplug();
	say("VOLT-WORK: done");
	power_off();
}
