/*
 * pcapcount FILE.pcap: the baseline for `sknockd -r` (tests/daemon
 * throughput, tests/bench offline), a bare pcap_loop that counts
 * packets.  Prints "packets N seconds S".
 */
#include <stdio.h>
#include <time.h>

#include <pcap/pcap.h>

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long long *)user)++;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long n = 0;
	struct timespec a, b;
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapcount FILE.pcap\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((p = pcap_open_offline(argv[1], err)) == NULL) {
		fprintf(stderr, "pcapcount: %s\n", err);
		return 1;
	}
	if (pcap_loop(p, -1, count, (u_char *)&n) < 0) {
		fprintf(stderr, "pcapcount: %s\n", pcap_geterr(p));
		return 1;
	}
	pcap_close(p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("packets %llu seconds %.6f\n", n,
	    (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
