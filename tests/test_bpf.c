/* test_bpf.c: the filter text, compiled by libpcap and run over frames. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "frame.h"
#include "pkt.h"
#include "check_main.h"

#define TEXT_CAP	4096

static const uint8_t one_byte[1] = { 'x' };
static struct conf *c;

static void
add_door(const char *name, const struct sk_port *steps, size_t n)
{
	struct conf_door *d = &c->doors[c->n_doors++];

	snprintf(d->name, sizeof d->name, "%s", name);
	memcpy(d->steps, steps, n * sizeof *steps);
	d->n_steps = n;
}

static void
setup(void)
{
	static const struct sk_port ssh[] = {
		{ 7000, SK_PROTO_TCP }, { 8000, SK_PROTO_UDP },
		{ 9000, SK_PROTO_UDP },
	};
	static const struct sk_port web[] = {
		{ 7000, SK_PROTO_TCP }, { 6000, SK_PROTO_TCP },
		{ 62201, SK_PROTO_UDP },
	};

	c = calloc(1, sizeof *c);
	ck_assert_ptr_nonnull(c);
	/* conf holds its doors by pointer, sized by what a parse finds. */
	c->doors = calloc(SK_MAX_DOORS, sizeof *c->doors);
	ck_assert_ptr_nonnull(c->doors);
	add_door("ssh", ssh, 3);
	add_door("web", web, 3);
}

static void
teardown(void)
{
	free(c->doors);
	free(c);
	c = NULL;
}

static bool
is_step(uint16_t port, uint8_t proto)
{
	size_t d, i;

	for (d = 0; d < c->n_doors; d++)
		for (i = 0; i < c->doors[d].n_steps; i++)
			if (c->doors[d].steps[i].port == port &&
			    c->doors[d].steps[i].proto == proto)
				return true;
	return false;
}

START_TEST(text_exact)
{
	char buf[TEXT_CAP];
	const char *want = "(tcp dst port 7000 or udp dst port 8000 or "
	    "udp dst port 9000 or tcp dst port 6000 or udp dst port 62201) or "
	    "(ip6 and not ip6 proto 6 and not ip6 proto 17)";

	ck_assert(bpf_filter_text(c, false, buf, sizeof buf));
	ck_assert_str_eq(buf, want);
	ck_assert(bpf_filter_text(c, true, buf, sizeof buf));
	ck_assert_int_eq(strncmp(buf, want, strlen(want)), 0);
	ck_assert_str_eq(buf + strlen(want), " or vlan");
}
END_TEST

START_TEST(text_buffer_sizes)
{
	char buf[TEXT_CAP], small[TEXT_CAP];
	size_t need;

	ck_assert(bpf_filter_text(c, true, buf, sizeof buf));
	need = strlen(buf) + 1;
	ck_assert(bpf_filter_text(c, true, small, need));	/* exact */
	ck_assert_str_eq(small, buf);
	ck_assert(!bpf_filter_text(c, true, small, need - 1));	/* 1 short */
	ck_assert(!bpf_filter_text(c, true, small, 1));
	ck_assert(!bpf_filter_text(c, true, small, 0));
}
END_TEST

START_TEST(text_no_doors)
{
	char buf[TEXT_CAP];

	c->n_doors = 0;
	ck_assert(bpf_filter_text(c, false, buf, sizeof buf));
	ck_assert_str_eq(buf, "(ip6 and not ip6 proto 6 and not ip6 proto 17)");
}
END_TEST

START_TEST(text_many_doors_fits)
{
	static char buf[65536];
	size_t d, i;

	/* Every door full of distinct steps: the daemon's worst case. */
	for (d = c->n_doors = 0; d < SK_MAX_DOORS; d++) {
		c->doors[d].n_steps = SK_MAX_STEPS;
		for (i = 0; i < SK_MAX_STEPS; i++) {
			c->doors[d].steps[i].port =
			    (uint16_t)(1000 + d * SK_MAX_STEPS + i);
			c->doors[d].steps[i].proto = i % 2 ? SK_PROTO_UDP :
			    SK_PROTO_TCP;
		}
		c->n_doors++;
	}
	ck_assert(bpf_filter_text(c, true, buf, sizeof buf));
	ck_assert_ptr_nonnull(strstr(buf, "dst port 2023)"));
}
END_TEST

/* A compiled filter for one link type, or NULL where vlan does not compile. */
struct filt {
	pcap_t			*p;
	struct bpf_program	prog;
	bool			ok;
};

static bool
filt_open(struct filt *f, int dlt, bool with_vlan)
{
	char text[TEXT_CAP];

	ck_assert(bpf_filter_text(c, with_vlan, text, sizeof text));
	f->p = pcap_open_dead(dlt, 262144);
	ck_assert_ptr_nonnull(f->p);
	f->ok = pcap_compile(f->p, &f->prog, text, 1,
	    PCAP_NETMASK_UNKNOWN) == 0;
	if (!f->ok)
		pcap_close(f->p);
	return f->ok;
}

static void
filt_close(struct filt *f)
{
	pcap_freecode(&f->prog);
	pcap_close(f->p);
}

static bool
passes(struct filt *f, const struct frame *fr)
{
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)fr->len,
	    .len = (bpf_u_int32)fr->len };

	return pcap_offline_filter(&f->prog, &h, fr->b) != 0;
}

/* Wrap the IP packet in fr for ${dlt}; vlan tags only on Ethernet. */
static void
link_wrap(struct frame *fr, int dlt, int n_vlan)
{
	unsigned type = (fr->b[0] >> 4) == 4 ? 0x0800 : 0x86dd;
	int i;

	switch (dlt) {
	case DLT_EN10MB:
		eth(fr, type);
		for (i = 0; i < n_vlan; i++)
			vlan(fr, i > 0 ? 0x88a8 : 0x8100);	/* outer */
		break;
	case DLT_LINUX_SLL:
		sll(fr, 0, type);
		break;
	case DLT_LINUX_SLL2:
		sll2(fr, 0, type);
		break;
	default:
		break;
	}
}

/* IP shapes the tests cover. */
enum shape { V4, V4_OPTS, V6, V6_HOPOPTS, V6_DSTOPTS_ROUTING, N_SHAPES };

static void
build(struct frame *fr, enum shape sh, uint8_t proto, uint16_t dport)
{
	if (proto == SK_PROTO_TCP)
		tcp(fr, 40000, dport, PKT_TH_SYN, 0, 0);
	else
		udp(fr, 40000, dport, one_byte, sizeof one_byte);
	switch (sh) {
	case V4:
		ip4(fr, proto, 0);
		break;
	case V4_OPTS:
		ip4(fr, proto, 12);
		break;
	case V6:
		ip6(fr, proto);
		break;
	case V6_HOPOPTS:
		ip6_ext(fr, proto, 0);
		ip6(fr, 0);
		break;
	default:
		ip6_ext(fr, proto, 60);
		ip6_ext(fr, 60, 43);
		ip6(fr, 43);
		break;
	}
}

/*
 * For every link type, IP shape, protocol, VLAN depth and a port set of
 * steps and near misses: whatever the decoder accepts and the sequence
 * matcher would count must pass the filter; plain IPv4/IPv6 to any
 * other port must not.
 */
static void
check_dlt(int dlt, int pkt_dlt)
{
	static const uint16_t ports[] = { 7000, 8000, 9000, 6000, 62201,
		6999, 7001, 8001, 22, 53, 1, 65535 };
	static const uint8_t protos[] = { SK_PROTO_TCP, SK_PROTO_UDP };
	struct filt f;
	struct frame fr;
	struct pkt_view v;
	size_t pi, ri;
	int sh, nv, max_vlan, n_pass = 0, n_reject = 0;
	bool vlan_ok, step;

	vlan_ok = filt_open(&f, dlt, true);
	if (!vlan_ok)
		ck_assert(filt_open(&f, dlt, false));
	ck_assert_msg(dlt != DLT_EN10MB || vlan_ok, "vlan on Ethernet");
	max_vlan = dlt == DLT_EN10MB ? 2 : 0;
	for (sh = 0; sh < N_SHAPES; sh++)
	for (ri = 0; ri < 2; ri++)
	for (pi = 0; pi < sizeof ports / sizeof ports[0]; pi++)
	for (nv = 0; nv <= max_vlan; nv++) {
		build(&fr, (enum shape)sh, protos[ri], ports[pi]);
		link_wrap(&fr, dlt, nv);
		ck_assert_int_eq(pkt_parse(fr.b, fr.len, pkt_dlt, &v), PKT_OK);
		ck_assert_uint_eq(v.dport, ports[pi]);
		step = is_step(ports[pi], protos[ri]);
		if (step) {
			ck_assert_msg(passes(&f, &fr), "dlt %d shape %d "
			    "proto %u port %u vlan %d dropped", dlt, sh,
			    protos[ri], ports[pi], nv);
			n_pass++;
		} else if (nv == 0 && (sh == V4 || sh == V4_OPTS ||
		    sh == V6)) {
			ck_assert_msg(!passes(&f, &fr), "dlt %d shape %d "
			    "proto %u port %u passed", dlt, sh, protos[ri],
			    ports[pi]);
			n_reject++;
		}
	}
	ck_assert_int_gt(n_pass, 0);
	ck_assert_int_gt(n_reject, 0);
	filt_close(&f);
}

START_TEST(filter_ethernet)
{
	check_dlt(DLT_EN10MB, PKT_DLT_EN10MB);
}
END_TEST

START_TEST(filter_sll)
{
	check_dlt(DLT_LINUX_SLL, PKT_DLT_LINUX_SLL);
}
END_TEST

START_TEST(filter_sll2)
{
	check_dlt(DLT_LINUX_SLL2, PKT_DLT_LINUX_SLL2);
}
END_TEST

START_TEST(filter_raw)
{
	check_dlt(DLT_RAW, PKT_DLT_RAW);
}
END_TEST

START_TEST(filter_rejects_other_traffic)
{
	struct filt f;
	struct frame fr;

	ck_assert(filt_open(&f, DLT_EN10MB, false));
	/* Source port is a step, destination is not. */
	udp(&fr, 8000, 12345, one_byte, sizeof one_byte);
	ip4(&fr, SK_PROTO_UDP, 0);
	eth(&fr, 0x0800);
	ck_assert(!passes(&f, &fr));
	/* ICMP and ARP. */
	fr.len = 8;
	memset(fr.b, 0, 8);
	ip4(&fr, 1, 0);
	eth(&fr, 0x0800);
	ck_assert(!passes(&f, &fr));
	fr.len = 28;
	memset(fr.b, 0, 28);
	eth(&fr, 0x0806);
	ck_assert(!passes(&f, &fr));
	/* A step port with the other protocol. */
	udp(&fr, 40000, 7000, one_byte, sizeof one_byte);
	ip4(&fr, SK_PROTO_UDP, 0);
	eth(&fr, 0x0800);
	ck_assert(!passes(&f, &fr));
	/* Without vlan, a tagged frame does not pass. */
	udp(&fr, 40000, 8000, one_byte, sizeof one_byte);
	ip4(&fr, SK_PROTO_UDP, 0);
	eth(&fr, 0x0800);
	ck_assert(passes(&f, &fr));
	vlan(&fr, 0x8100);
	ck_assert(!passes(&f, &fr));
	filt_close(&f);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("filter");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_exact);
	tcase_add_test(tc, text_buffer_sizes);
	tcase_add_test(tc, text_no_doors);
	tcase_add_test(tc, text_many_doors_fits);
	tcase_add_test(tc, filter_ethernet);
	tcase_add_test(tc, filter_sll);
	tcase_add_test(tc, filter_sll2);
	tcase_add_test(tc, filter_raw);
	tcase_add_test(tc, filter_rejects_other_traffic);
	return check_run("bpf", tc);
}
