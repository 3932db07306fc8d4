import { z } from 'zod';

const fields = {
  title: z.string(),
  done: z.boolean(),
  priority: z.number().int().optional(),
  tags: z.array(z.string()),
  dueAt: z.iso.datetime().optional(),
  status: z.enum(['open', 'closed']),
};

export const TaskSchema = z.object({ id: z.string(), ...fields });
export const CreateTaskSchema = z.object(fields).strict();
export const UpdateTaskSchema = z.object(fields).partial().strict();

export type Task = z.infer<typeof TaskSchema>;
export type CreateTaskInput = z.infer<typeof CreateTaskSchema>;
export type UpdateTaskInput = z.infer<typeof UpdateTaskSchema>;
