package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"

	"github.com/spf13/cobra"

	"github.com/parleybot/parley"
)

// kbSearchPassages is how many passages `parley kb search` shows.
const kbSearchPassages = 5

// newKBCommand is `parley kb`: the bots' knowledge bases, which serve and
// chat index at start-up; these subcommands index them on their own, to
// check the documents and tune a locale's minScore.
func newKBCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kb",
		Short: "Index and search the knowledge bases of bots",
	}
	index := &cobra.Command{
		Use:   "index BOT_PATH...",
		Short: "Index every knowledge base the bots name and report its size",
		Long: "Index reads each knowledge-base folder the bots' locales name (generative:\n" +
			"knowledgeBase: folder:), as serve does at start-up, and prints the passages\n" +
			"found. With PARLEY_LLM_MODEL and PARLEY_LLM_EMBEDDING_MODEL set it also\n" +
			"embeds them, which checks the embeddings endpoint.",
		Example: "  parley kb index examples/assistant",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, bots, err := openKnowledgeBases(args, env, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			keys := make([]string, 0, len(g.indexes))
			for k := range g.indexes {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d passages\n", k, g.indexes[k].Len())
			}
			if len(keys) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "no knowledge base in %d bot(s)\n", len(bots))
			}
			return nil
		},
	}
	search := &cobra.Command{
		Use:     "search BOT_PATH QUESTION",
		Short:   "Show the passages of a bot's knowledge base that best answer a question, with their scores",
		Example: "  parley kb search examples/assistant '세션은 어디에 저장되나요?'",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, bots, err := openKnowledgeBases(args[:1], env, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return searchKnowledgeBases(cmd.Context(), cmd.OutOrStdout(), g, bots[0], args[1])
		},
	}
	cmd.AddCommand(index, search)
	return cmd
}

// openKnowledgeBases loads the bots and indexes their knowledge bases with
// the PARLEY_LLM_* model's embeddings when one is named.
func openKnowledgeBases(paths []string, env Env, errOut io.Writer) (*generativeParts, []*parley.Bot, error) {
	llm, err := llmFromEnv(env)
	if err != nil {
		return nil, nil, err
	}
	bots, err := loadBots(paths, channellessBotOptions(), nil)
	if err != nil {
		return nil, nil, reportProblems(errOut, err)
	}
	g, err := buildGenerative(llm, bots, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	return g, bots, nil
}

// searchKnowledgeBases prints the best passages of each locale of bot that
// has a knowledge base, and the locale's threshold.
func searchKnowledgeBases(ctx context.Context, out io.Writer, g *generativeParts, bot *parley.Bot, question string) error {
	found := false
	for _, loc := range bot.Locales {
		ix := g.indexes[bot.ID+"/"+loc.ID]
		if ix == nil {
			continue
		}
		found = true
		passages, err := ix.Retrieve(ctx, question, kbSearchPassages)
		if err != nil {
			return fmt.Errorf("search %s: %w", loc.ID, err)
		}
		threshold := loc.Generative.KnowledgeBase.MinScore
		fmt.Fprintf(out, "%s (minScore %.2f):\n", loc.ID, threshold)
		if len(passages) == 0 {
			fmt.Fprintln(out, "  nothing relevant")
		}
		for _, p := range passages {
			mark := " "
			if p.Score >= threshold {
				mark = "*"
			}
			title := p.Title
			if title != "" {
				title = " — " + title
			}
			fmt.Fprintf(out, "%s %.3f %s%s\n", mark, p.Score, p.Source, title)
		}
	}
	if !found {
		return fmt.Errorf("bot %s has no knowledge base", bot.ID)
	}
	return nil
}
