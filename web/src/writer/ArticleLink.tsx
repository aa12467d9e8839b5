import { Anchor, type AnchorProps } from "@mantine/core";
import { createLink } from "@tanstack/react-router";

function AnchorBase(props: AnchorProps & React.ComponentPropsWithRef<"a">) {
  return <Anchor {...props} />;
}

const RouterAnchor = createLink(AnchorBase);

/** A link to an article's editor. */
export function ArticleLink({ contentId, label, children }: { contentId: string; label?: string; children: React.ReactNode }) {
  return (
    <RouterAnchor to="/writer/content/$contentId" params={{ contentId }} size="sm" aria-label={label}>
      {children}
    </RouterAnchor>
  );
}
