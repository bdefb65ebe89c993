// Tables of the prompt-memes slice (migration 0028, docs/decisions/047).
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface PromptMemesTable {
  collection_id: number;
  prompts_open: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PromptsTable {
  id: Generated<number>;
  collection_id: number;
  user_id: number;
  title: string;
  description_html: Generated<string>;
  is_anonymous: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PromptTagsTable {
  prompt_id: number;
  tag_id: number;
}

export interface PromptClaimsTable {
  prompt_id: number;
  user_id: number;
  created_at: CreatedAt;
}

export interface PromptFillsTable {
  id: Generated<number>;
  prompt_id: number;
  work_id: number;
  user_id: number | null;
  created_at: CreatedAt;
}

export interface PromptMemeTables {
  prompt_memes: PromptMemesTable;
  prompts: PromptsTable;
  prompt_tags: PromptTagsTable;
  prompt_claims: PromptClaimsTable;
  prompt_fills: PromptFillsTable;
}
