package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/botdef"
	"github.com/parleybot/parley/channel/connector"
	"github.com/parleybot/parley/channel/kakao"
	"github.com/parleybot/parley/channel/line"
	"github.com/parleybot/parley/channel/messenger"
	"github.com/parleybot/parley/channel/slack"
	"github.com/parleybot/parley/channel/telegram"
	"github.com/parleybot/parley/channel/twilio"
)

// channelClientTimeout bounds one call to a platform's API (each retry of
// connector.Config.Post is one call).
const channelClientTimeout = 15 * time.Second

// ChannelKinds is the type → constructor table of messaging connectors,
// keyed by the type of a bot file's channels entry. A new connector is one
// entry here.
func ChannelKinds() map[string]connector.Factory {
	return map[string]connector.Factory{
		"kakao":     channelFactory(kakao.New),
		"messenger": channelFactory(messenger.New),
		"slack":     channelFactory(slack.New),
		"telegram":  channelFactory(telegram.New),
		"line":      channelFactory(line.New),
		"twilio":    channelFactory(twilio.New),
	}
}

// channelFactory adapts a connector package's New to a connector.Factory,
// so that a failed New gives a nil Channel rather than a typed nil.
func channelFactory[C connector.Channel](newChannel func(connector.Config) (C, error)) connector.Factory {
	return func(cfg connector.Config) (connector.Channel, error) {
		c, err := newChannel(cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// ChannelOptions builds the bots' messaging channels.
type ChannelOptions struct {
	// Kinds is the type → constructor table; ChannelKinds() when nil.
	Kinds map[string]connector.Factory
	// Client calls the platforms' APIs, shared by every channel; one with
	// a timeout when nil.
	Client *http.Client
}

// mountedChannel is one built channel and where it is served.
type mountedChannel struct {
	botID string
	b     parley.ChannelBinding
	path  string // /channels/{botId}/{name}, without the trailing slash
	url   string // the public URL of path
	ch    connector.Channel
}

// channelPath is the mount point of a bot's channel.
func channelPath(botID, name string) string {
	return "/channels/" + botID + "/" + name
}

// buildChannels builds every channel of every bot; publicURL is the
// server's externally visible base URL. On failure it closes what it built
// and names the bot file and the channel.
func buildChannels(bots []*parley.Bot, rt parley.Runtime, publicURL string, opts ChannelOptions, logger *slog.Logger) ([]*mountedChannel, error) {
	kinds := opts.Kinds
	if kinds == nil {
		kinds = ChannelKinds()
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: channelClientTimeout}
	}
	var out []*mountedChannel
	fail := func(err error) ([]*mountedChannel, error) {
		closeChannels(out, defaultShutdownTimeout, logger)
		return nil, err
	}
	for _, bot := range bots {
		for _, b := range bot.Channels {
			newChannel, ok := kinds[b.Type]
			if !ok {
				return fail(fmt.Errorf("%s: channel %s: channel type %s is not available in this build", botdef.BotFile(bot.Source), b.Name, b.Type))
			}
			path := channelPath(bot.ID, b.Name)
			mc := &mountedChannel{botID: bot.ID, b: b, path: path, url: publicURL + path}
			ch, err := newChannel(connector.Config{
				Name:      b.Name,
				Type:      b.Type,
				Bot:       bot,
				AliasID:   b.AliasID,
				LocaleID:  b.LocaleID,
				Settings:  b.Settings,
				Runtime:   rt,
				PublicURL: mc.url,
				Logger:    logger.With("bot", bot.ID, "channel", b.Name),
				Client:    client,
			})
			if err != nil {
				// The kit's setting errors name the channel already.
				if name := fmt.Sprintf("channel %s (%s)", b.Name, b.Type); !strings.Contains(err.Error(), name) {
					err = fmt.Errorf("%s: %w", name, err)
				}
				return fail(fmt.Errorf("%s: %w", botdef.BotFile(bot.Source), err))
			}
			mc.ch = ch
			out = append(out, mc)
		}
	}
	return out, nil
}

// closeChannels closes every channel, waiting up to grace in all for their
// turns in flight, and logs the ones that did not finish.
func closeChannels(chs []*mountedChannel, grace time.Duration, logger *slog.Logger) error {
	if len(chs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var errs []error
	for _, mc := range chs {
		if err := mc.ch.Close(ctx); err != nil {
			logger.Warn("channel did not stop cleanly", "bot", mc.botID, "channel", mc.b.Name, "err", err)
			errs = append(errs, fmt.Errorf("close channel %s of %s: %w", mc.b.Name, mc.botID, err))
		}
	}
	return errors.Join(errs...)
}

// mountChannels serves each channel under its path with the prefix
// stripped, so a connector sees / (or its own sub-paths such as /events).
// The platforms authenticate their requests themselves, so the API key is
// not asked for here.
func mountChannels(mux *http.ServeMux, chs []*mountedChannel) {
	for _, mc := range chs {
		mux.Handle(mc.path+"/", http.StripPrefix(mc.path, mc.ch))
	}
	// Anything else under /channels/ is not the web chat's.
	mux.Handle("/channels/", http.NotFoundHandler())
}

// channelStats answers GET /channels/stats with every channel's counters:
// {botId: {name: {accepted, rejected, failed}}}.
func channelStats(chs []*mountedChannel) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		stats := map[string]map[string]connector.Stats{}
		for _, mc := range chs {
			if stats[mc.botID] == nil {
				stats[mc.botID] = map[string]connector.Stats{}
			}
			stats[mc.botID][mc.b.Name] = mc.ch.Stats()
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(stats)
	})
}

// writeChannels prints one line per channel with its webhook URL; a
// Telegram channel in poll mode fetches its updates and has none to give.
func writeChannels(w io.Writer, chs []*mountedChannel) {
	for _, mc := range chs {
		if mc.b.Type == "telegram" && mc.b.Settings["mode"] == "poll" {
			fmt.Fprintf(w, "channel %s (%s) for %s: long polling, no webhook\n", mc.b.Name, mc.b.Type, mc.botID)
			continue
		}
		fmt.Fprintf(w, "channel %s (%s) for %s: POST %s/\n", mc.b.Name, mc.b.Type, mc.botID, mc.url)
	}
}
